import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Server-wide announcements: a small append-only stream. Its ids are the
 * event ids of the live `announcements.stream`, so they must become visible
 * in id order (the service serialises writers to guarantee that).
 */
export const announcements = pgTable(
  'announcements',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('announcements_created_at_idx').on(table.createdAt)],
);
