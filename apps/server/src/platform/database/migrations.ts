import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { embeddedFiles } from '../../embedded.ts';

/**
 * Copies the migrations embedded in the compiled binary to a folder, since
 * drizzle's migrator reads a folder. The folder is named after the content,
 * so a binary with other migrations never reuses it.
 */
async function extractEmbeddedMigrations(files: ReadonlyMap<string, string>): Promise<string> {
  const contents = await Promise.all(
    [...files]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([name, path]) => [name, await Bun.file(path).bytes()] as const),
  );
  const hash = createHash('sha256');
  for (const [name, bytes] of contents) hash.update(name).update(bytes);
  const dir = join(tmpdir(), `gopherchat-migrations-${hash.digest('hex').slice(0, 16)}`);
  for (const [name, bytes] of contents) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

/**
 * Where drizzle-kit's generated migrations are: MIGRATIONS_DIR when set, else
 * those embedded in the binary, else the repository's `db/migrations`.
 */
export async function resolveMigrationsDir(configured: string | undefined): Promise<string> {
  const embedded = embeddedFiles().migrations;
  const dir =
    configured ??
    (embedded.size > 0
      ? await extractEmbeddedMigrations(embedded)
      : resolve(import.meta.dir, '../../../../../db/migrations'));
  if (!existsSync(resolve(dir, 'meta/_journal.json'))) {
    throw new Error(`No migrations found in ${dir} (expected meta/_journal.json); set MIGRATIONS_DIR`);
  }
  return dir;
}
