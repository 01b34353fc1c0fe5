import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { ObjectFiles } from './object-files.ts';

const OBJECT_SUFFIX = '._S3rver_object';

/**
 * Moves what the embedded store kept before this one (s3rver) into this
 * one, on its first start: s3rver kept each object at
 * DIRECTORY/<bucket>/<key>._S3rver_object, with its type in
 * <key>._S3rver_metadata.json. Its directory goes once everything is in;
 * a start cut short imports again from the beginning. Returns how many.
 */
export async function importS3rverObjects(directory: string, bucket: string, files: ObjectFiles): Promise<number> {
  const legacy = join(directory, bucket);
  if (!existsSync(legacy) || !statSync(legacy).isDirectory()) return 0;
  let imported = 0;
  for (const path of await readdir(legacy, { recursive: true })) {
    if (!path.endsWith(OBJECT_SUFFIX)) continue;
    const key = path.slice(0, -OBJECT_SUFFIX.length).split(sep).join('/');
    const metadata = await readFile(
      join(legacy, `${path.slice(0, -OBJECT_SUFFIX.length)}._S3rver_metadata.json`),
      'utf8',
    )
      .then((text) => JSON.parse(text) as Record<string, unknown>)
      .catch(() => ({}) as Record<string, unknown>);
    const contentType = metadata['content-type'];
    await files.write(
      key,
      Bun.file(join(legacy, path)).stream(),
      typeof contentType === 'string' ? contentType : 'application/octet-stream',
      { minBytes: 0, maxBytes: Number.POSITIVE_INFINITY, sha256: undefined },
    );
    imported++;
  }
  await rm(legacy, { recursive: true, force: true });
  return imported;
}
