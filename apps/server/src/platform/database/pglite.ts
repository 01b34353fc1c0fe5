import { mkdirSync } from 'node:fs';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { schema } from '@gopherchat/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { embeddedFiles } from '../../embedded.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import { type DatabaseHandle, type ResultsOf, type RunPipelined, type Statement, toDriverQuery } from './database.ts';

/** In the compiled binary, PGlite's assets come from the executable instead of node_modules. */
async function embeddedAssets(): Promise<PGliteOptions> {
  const files = embeddedFiles().pglite;
  const path = (name: string) => {
    const found = files.get(name);
    if (!found) throw new Error(`the binary embeds no ${name}`);
    return found;
  };
  if (files.size === 0) return {};
  return {
    pgliteWasmModule: await WebAssembly.compile(await Bun.file(path('pglite.wasm')).arrayBuffer()),
    initdbWasmModule: await WebAssembly.compile(await Bun.file(path('initdb.wasm')).arrayBuffer()),
    fsBundle: Bun.file(path('pglite.data')),
  };
}

/**
 * The embedded default: PostgreSQL compiled to WASM, file-backed under
 * `dataDir`, or in memory when `dataDir` is undefined (tests).
 */
export async function openPglite(options: {
  dataDir: string | undefined;
  migrationsDir: string;
}): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(options.dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(options.dataDir, await embeddedAssets());
  } catch (error) {
    releaseLock();
    throw error;
  }
  const db = drizzle({ client, schema });
  return {
    kind: 'pglite',
    db,
    pipelined: pipelinedOn(client),
    async migrate() {
      await migrate(db, { migrationsFolder: options.migrationsDir });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
      releaseLock();
    },
  };
}

/** In process there is no round trip to save: the statements run one after another, in PGlite's transaction. */
function pipelinedOn(client: PGlite): RunPipelined {
  return (work) =>
    client.transaction(async (tx) => {
      async function send(statements: readonly Statement<unknown>[]) {
        const results: unknown[] = [];
        for (const statement of statements) {
          const { text, params } = toDriverQuery(statement.query);
          results.push(statement.read((await tx.query<Record<string, unknown>>(text, params)).rows));
        }
        return results;
      }
      const { result, last } = await work({
        send: (statements) => send(statements) as Promise<ResultsOf<typeof statements>>,
      });
      return { result, lastResults: (await send(last)) as ResultsOf<typeof last> };
    });
}
