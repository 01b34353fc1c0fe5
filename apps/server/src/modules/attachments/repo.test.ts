import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { attachments } from '@gopherchat/db';
import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { runStatement } from '../../platform/database/index.ts';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { claimAttachments, createAttachmentRepo } from './repo.ts';

/** On the real PostgreSQL, whose connections run side by side (PGlite runs one statement at a time). */
describe('attachment repository on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;
  const ownerId = '01900000-0000-7000-8000-00000000000a';
  const otherId = '01900000-0000-7000-8000-00000000000b';
  const [here, there] = ['01900000-0000-7000-8000-0000000000c1', '01900000-0000-7000-8000-0000000000c2'];
  const claim = (claims: Parameters<typeof claimAttachments>[0]) => runStatement(database.db, claimAttachments(claims));

  beforeAll(async () => {
    database = await openMigratedTestDatabase('attachment_repo');
    await database.db.execute(sql`
      insert into users (id, username, email, display_name)
      values (${ownerId}, 'ada', 'ada@example.com', 'Ada'), (${otherId}, 'bob', 'bob@example.com', 'Bob')`);
    await database.db.execute(sql`
      insert into conversations (id, kind, title, created_at, updated_at)
      values (${here}, 'group', 'Here', now(), now()), (${there}, 'group', 'There', now(), now())`);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('grants one of several uploads at once that each fit the quota but no two together', async () => {
    const repo = createAttachmentRepo(database.db);
    const upload = (index: number) => {
      const id = uuidv7();
      const at = new Date();
      return repo.insertWithinQuota(1_000_000, {
        id,
        ownerId,
        state: 'uploading',
        fileName: `${index}.zip`,
        contentType: 'application/zip',
        byteSize: 600_000,
        objectKey: `media/${id}/original`,
        createdAt: at,
        updatedAt: at,
      });
    };
    const granted = await Promise.all(Array.from({ length: 8 }, (_, index) => upload(index)));
    expect(granted.filter(Boolean)).toHaveLength(1);
  });

  /** A file as it stands, written directly. */
  async function file(fields: Partial<typeof attachments.$inferInsert> = {}) {
    const id = uuidv7();
    const at = new Date();
    await database.db.insert(attachments).values({
      id,
      ownerId,
      state: 'ready',
      fileName: 'notes.pdf',
      contentType: 'application/pdf',
      byteSize: 1_000,
      objectKey: `media/${id}/original`,
      createdAt: at,
      updatedAt: at,
      ...fields,
    });
    return id;
  }

  const conversationOf = async (id: string) =>
    (await database.db.select().from(attachments).where(eq(attachments.id, id)))[0]?.conversationId;

  it('claims, in one statement, only processed files of their owner that are unshared or already shared there', async () => {
    const ready = await file();
    const processing = await file({ state: 'processing' });
    const uploading = await file({ state: 'uploading' });
    const failed = await file({ state: 'failed' });
    const someoneElses = await file({ ownerId: otherId });
    const sharedHere = await file({ conversationId: here });
    const sharedThere = await file({ conversationId: there });
    const claims = [ready, processing, uploading, failed, someoneElses, sharedHere, sharedThere].map(
      (attachmentId) => ({ attachmentId, ownerId, conversationId: here }),
    );
    expect(await claim(claims)).toEqual(new Set([ready, processing, sharedHere]));
    expect(await Promise.all([ready, processing, uploading, sharedThere].map(conversationOf))).toEqual([
      here,
      here,
      null,
      there,
    ]);
  });

  it('gives a file claimed twice in one batch to the first claim that fits, as claims made in turn would', async () => {
    const unshared = await file();
    const sharedThere = await file({ conversationId: there });
    const claimed = await claim([
      { attachmentId: unshared, ownerId: otherId, conversationId: here },
      { attachmentId: unshared, ownerId, conversationId: there },
      { attachmentId: unshared, ownerId, conversationId: here },
      { attachmentId: sharedThere, ownerId, conversationId: here },
      { attachmentId: sharedThere, ownerId, conversationId: there },
    ]);
    expect(claimed).toEqual(new Set([unshared, sharedThere]));
    expect(await Promise.all([unshared, sharedThere].map(conversationOf))).toEqual([there, there]);
    expect(await claim([])).toEqual(new Set());
  });

  it('leaves a file listed as abandoned but sent before the collection deletes it: its message keeps its attachment', async () => {
    const repo = createAttachmentRepo(database.db);
    const [abandoned, sentMeanwhile] = [await file(), await file()];
    const listed = (await repo.unsharedSince(new Date(Date.now() + 1_000), 500)).map((row) => row.id);
    expect(listed).toEqual(expect.arrayContaining([abandoned, sentMeanwhile]));
    expect(await claim([{ attachmentId: sentMeanwhile, ownerId, conversationId: here }])).toEqual(
      new Set([sentMeanwhile]),
    );

    const deleted = (await repo.deleteUnshared(listed)).map((row) => row.id);
    expect(deleted).toContain(abandoned);
    expect(deleted).not.toContain(sentMeanwhile);
    expect(await conversationOf(sentMeanwhile)).toBe(here);
    expect(await repo.find(abandoned)).toBeUndefined();
  });

  it('discards only its owner’s file, and only while it is unshared', async () => {
    const repo = createAttachmentRepo(database.db);
    const [unshared, sent] = [await file(), await file({ conversationId: here })];
    expect(await repo.deleteOwnUnshared(otherId, unshared)).toBeUndefined();
    expect(await repo.deleteOwnUnshared(ownerId, sent)).toBeUndefined();
    expect(await repo.deleteOwnUnshared(ownerId, unshared)).toMatchObject({ id: unshared });
    expect(await repo.find(unshared)).toBeUndefined();
    expect(await repo.find(sent)).toBeDefined();
  });
});
