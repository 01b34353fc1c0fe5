import { announcements } from '@gopherchat/db';
import { asc, desc, gt, max, sql } from 'drizzle-orm';
import type { Database } from '../../platform/database/index.ts';

export type AnnouncementRow = typeof announcements.$inferSelect;

/** Reserved advisory-lock key that serialises announcement writers. */
const WRITER_LOCK = 0x616e_6e63; // "annc"

export function createAnnouncementRepo(db: Database) {
  return {
    /**
     * Appends with the next id. Writers take a transaction-scoped lock, so
     * ids are gap-free and commit in id order: readers that see id N can
     * rely on every lower id being visible already.
     */
    async insert(text: string): Promise<AnnouncementRow> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${WRITER_LOCK})`);
        const [row] = await tx
          .insert(announcements)
          .values({ id: sql`(select coalesce(max(${announcements.id}), 0) + 1 from ${announcements})`, text })
          .returning();
        if (!row) throw new Error('insert returned no row');
        return row;
      });
    },

    async listAfter(after: bigint, limit: number): Promise<AnnouncementRow[]> {
      return db
        .select()
        .from(announcements)
        .where(gt(announcements.id, after))
        .orderBy(asc(announcements.id))
        .limit(limit);
    },

    async listLatest(limit: number): Promise<AnnouncementRow[]> {
      return db.select().from(announcements).orderBy(desc(announcements.id)).limit(limit);
    },

    async readHeadId(): Promise<bigint> {
      const [row] = await db.select({ head: max(announcements.id) }).from(announcements);
      return row?.head ?? 0n;
    },
  };
}

export type AnnouncementRepo = ReturnType<typeof createAnnouncementRepo>;
