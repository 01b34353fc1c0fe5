import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { createAttachmentRepo } from './repo.ts';

/** On the real PostgreSQL, whose connections run side by side (PGlite runs one statement at a time). */
describe('attachment repository on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;
  const ownerId = '01900000-0000-7000-8000-00000000000a';

  beforeAll(async () => {
    database = await openMigratedTestDatabase('attachment_repo');
    await database.db.execute(
      sql`insert into users (id, username, email, display_name) values (${ownerId}, 'ada', 'ada@example.com', 'Ada')`,
    );
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
});
