import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../clock/index.ts';
import { S3Error } from './s3-error.ts';

/** An object as the store keeps it: its bytes are in a file of their own, named by `version`. */
export interface StoredObject {
  key: string;
  contentType: string;
  byteSize: number;
  /** MD5 of the bytes (hex), as S3's ETag for a single-part upload. */
  etag: string;
  lastModified: number;
  version: string;
}

const isStoredObject = (value: unknown): value is StoredObject => {
  const object = value as StoredObject;
  return (
    typeof object === 'object' &&
    object !== null &&
    typeof object.key === 'string' &&
    typeof object.contentType === 'string' &&
    Number.isSafeInteger(object.byteSize) &&
    typeof object.etag === 'string' &&
    Number.isFinite(object.lastModified) &&
    typeof object.version === 'string' &&
    /^[0-9a-f]{32}$/.test(object.version)
  );
};

const randomName = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');

const isNotFound = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export interface WriteLimits {
  minBytes: number;
  maxBytes: number;
  /** The SHA-256 (hex) the bytes must have, when the request signed one. */
  sha256: string | undefined;
}

/**
 * Objects on disk under `root`. A key never becomes a path: its SHA-256
 * names its files (`ab/abcd….json` for what is known of it, `ab/abcd….<version>`
 * for its bytes), so no key can reach outside `root`. Bytes are streamed to a
 * temporary file and renamed into place; the metadata file is swapped
 * atomically, so a reader sees the old object or the new one, whole. Each
 * version's bytes are written once and never changed, so a copy is a hard link.
 * Writes to one key are serialised (this process is the store's only writer).
 */
export function openObjectFiles(root: string, clock: Clock) {
  const temporary = join(root, 'tmp');
  const writers = new Map<string, Promise<void>>();

  const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
  const metadataPath = (hash: string) => join(root, hash.slice(0, 2), `${hash}.json`);
  const bytesPath = (hash: string, version: string) => join(root, hash.slice(0, 2), `${hash}.${version}`);

  /** Runs `work` after every earlier write to this key has finished. */
  async function exclusively<T>(hash: string, work: () => Promise<T>): Promise<T> {
    const before = writers.get(hash) ?? Promise.resolve();
    const { promise: done, resolve: finish } = Promise.withResolvers<void>();
    const chain = before.then(() => done);
    writers.set(hash, chain);
    await before;
    try {
      return await work();
    } finally {
      finish();
      if (writers.get(hash) === chain) writers.delete(hash);
    }
  }

  async function readMetadata(hash: string, key: string): Promise<StoredObject | undefined> {
    let text: string;
    try {
      text = await readFile(metadataPath(hash), 'utf8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const object: unknown = JSON.parse(text);
    if (!isStoredObject(object) || object.key !== key)
      throw new Error(`corrupt object metadata: ${metadataPath(hash)}`);
    return object;
  }

  /** Makes the bytes at `bytesFile` (a temporary file) the object at `key`. */
  function commit(key: string, bytesFile: string, facts: Omit<StoredObject, 'key' | 'version' | 'lastModified'>) {
    const hash = hashOf(key);
    return exclusively(hash, async () => {
      const object: StoredObject = { key, ...facts, lastModified: clock.now(), version: randomName() };
      await mkdir(join(root, hash.slice(0, 2)), { recursive: true });
      await rename(bytesFile, bytesPath(hash, object.version));
      const previous = await readMetadata(hash, key);
      const metadataFile = join(temporary, randomName());
      await writeFile(metadataFile, JSON.stringify(object), { mode: 0o600 });
      await rename(metadataFile, metadataPath(hash));
      if (previous) await rm(bytesPath(hash, previous.version), { force: true });
      return object;
    });
  }

  return {
    /** Clears what writes cut short by a crash left behind. */
    async open(): Promise<void> {
      await rm(temporary, { recursive: true, force: true });
      await mkdir(temporary, { recursive: true, mode: 0o700 });
    },

    head(key: string): Promise<StoredObject | undefined> {
      return readMetadata(hashOf(key), key);
    },

    /** The object's bytes, for a response. */
    bytes(object: StoredObject) {
      return Bun.file(bytesPath(hashOf(object.key), object.version));
    },

    /**
     * Stores `body` at `key`, refusing it (and keeping nothing of it) when its
     * size is outside the limits or its SHA-256 is not the one signed.
     */
    async write(
      key: string,
      body: AsyncIterable<Uint8Array>,
      contentType: string,
      limits: WriteLimits,
    ): Promise<StoredObject> {
      const file = join(temporary, randomName());
      const handle = await open(file, 'wx', 0o600);
      const md5 = createHash('md5');
      const sha256 = limits.sha256 === undefined ? undefined : createHash('sha256');
      let byteSize = 0;
      try {
        try {
          for await (const chunk of body) {
            byteSize += chunk.length;
            if (byteSize > limits.maxBytes) throw new S3Error('EntityTooLarge', 'The file is larger than allowed.');
            md5.update(chunk);
            sha256?.update(chunk);
            for (let written = 0; written < chunk.length; ) {
              written += (await handle.write(chunk, written)).bytesWritten;
            }
          }
        } finally {
          await handle.close();
        }
        if (byteSize < limits.minBytes) throw new S3Error('EntityTooSmall', 'The file is smaller than allowed.');
        if (sha256 && sha256.digest('hex') !== limits.sha256) {
          throw new S3Error('XAmzContentSHA256Mismatch', 'The body is not the one that was signed.');
        }
        return await commit(key, file, { contentType, byteSize, etag: md5.digest('hex') });
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
    },

    /** Copies the object at `from` to `to`, with its type; undefined when there is none at `from`. */
    async copy(from: string, to: string): Promise<StoredObject | undefined> {
      const source = await readMetadata(hashOf(from), from);
      if (!source) return undefined;
      const file = join(temporary, randomName());
      try {
        await link(bytesPath(hashOf(from), source.version), file);
      } catch (error) {
        // Replaced or deleted since its metadata was read.
        if (isNotFound(error)) return undefined;
        // A file system without hard links.
        await copyFile(bytesPath(hashOf(from), source.version), file);
      }
      try {
        return await commit(to, file, {
          contentType: source.contentType,
          byteSize: source.byteSize,
          etag: source.etag,
        });
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
    },

    /** Deleting what is not there is not an error. */
    delete(key: string): Promise<void> {
      const hash = hashOf(key);
      return exclusively(hash, async () => {
        const object = await readMetadata(hash, key);
        if (!object) return;
        await rm(metadataPath(hash), { force: true });
        await rm(bytesPath(hash, object.version), { force: true });
      });
    },
  };
}

export type ObjectFiles = ReturnType<typeof openObjectFiles>;
