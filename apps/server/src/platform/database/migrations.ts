import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where drizzle-kit's generated migrations live: MIGRATIONS_DIR when set (the
 * container image puts them beside the binary), else the repository's
 * `db/migrations`.
 */
export function resolveMigrationsDir(configured: string | undefined): string {
  const dir = configured ?? resolve(import.meta.dir, '../../../../../db/migrations');
  if (!existsSync(resolve(dir, 'meta/_journal.json'))) {
    throw new Error(`No migrations found in ${dir} (expected meta/_journal.json); set MIGRATIONS_DIR`);
  }
  return dir;
}
