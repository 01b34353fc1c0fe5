/**
 * Files baked into the compiled binary by scripts/build.ts, keyed by their
 * path relative to their folder, valued by the path Bun gives them inside
 * the executable. Empty when running from source, where each is read from
 * the repository or node_modules instead.
 */
export interface EmbeddedFiles {
  /** The built web app (apps/web/dist). */
  web: ReadonlyMap<string, string>;
  /** drizzle-kit migrations (db/migrations). */
  migrations: ReadonlyMap<string, string>;
  /** PGlite's WebAssembly modules and file-system image, which it otherwise loads from node_modules. */
  pglite: ReadonlyMap<string, string>;
}

let embedded: EmbeddedFiles = { web: new Map(), migrations: new Map(), pglite: new Map() };

/** Called once, by the generated entry point of the compiled binary, before the server starts. */
export function registerEmbeddedFiles(files: EmbeddedFiles) {
  embedded = files;
}

export function embeddedFiles(): EmbeddedFiles {
  return embedded;
}
