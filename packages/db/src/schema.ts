import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Server-wide announcements: a small append-only stream. Ids are gap-free
 * and become visible in id order (the repository allocates them under a
 * transaction-scoped lock), so a subscriber that sees id N knows every id
 * below N is already readable: the live stream can detect and fill holes.
 */
export const announcements = pgTable('announcements', {
  id: bigint('id', { mode: 'bigint' }).primaryKey(),
  text: text('text').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
