import type { DatabaseConfig } from '../../env.ts';
import type { DatabaseHandle } from './database.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export { DataDirInUseError } from './data-dir-lock.ts';
export {
  type Database,
  type DatabaseHandle,
  type PipelinedTransaction,
  prepared,
  type RunPipelined,
  rowsOf,
  runStatement,
  type Statement,
  toDriverQuery,
} from './database.ts';
export { DatabaseDeadlineError, isDatabaseUnavailable, isRefusedData, violatedUniqueConstraint } from './errors.ts';
export { resolveMigrationsDir } from './migrations.ts';

export async function openDatabase(config: DatabaseConfig, migrationsDir: string): Promise<DatabaseHandle> {
  switch (config.kind) {
    case 'pglite':
      return openPglite({ dataDir: config.dataDir, migrationsDir });
    case 'postgres':
      return openPostgres({ url: config.url, poolSize: config.poolSize, migrationsDir });
    default:
      return config satisfies never;
  }
}
