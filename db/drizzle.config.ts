import { defineConfig } from 'drizzle-kit';

// Migrations are generated once from the schema and applied unchanged to both
// PGlite (embedded default) and PostgreSQL >= 15: keep them to SQL 15 supports.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/db/src/schema.ts',
  out: './db/migrations',
});
