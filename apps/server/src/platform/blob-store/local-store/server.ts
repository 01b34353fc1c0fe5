import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../clock/index.ts';
import { loadLocalCredentials } from './credentials.ts';
import { createLocalStoreHandler } from './handler.ts';
import { importS3rverObjects } from './legacy-s3rver.ts';
import { openObjectFiles } from './object-files.ts';
import { createSignatureVerifier } from './signature.ts';

/** The region signatures are scoped to (any name would do; the SDK's default). */
const LOCAL_STORE_REGION = 'us-east-1';
/**
 * The most one PutObject or upload may carry: above any file the app
 * takes (25 MB) and any clean copy it makes of an image (50 megapixels).
 */
const MAX_OBJECT_BYTES = 512 * 1024 * 1024;

export interface LocalStoreOptions {
  /** Where objects and the store's credentials are kept. */
  directory: string;
  bucket: string;
  /** On 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Origins besides loopback pages that may upload and fetch (CORS). */
  allowedOrigins: string[];
  /** For signature dates and expiry; the system clock by default. */
  clock?: Clock;
}

/**
 * The embedded default's S3-compatible store, on a loopback port: the
 * subset of S3 the app uses, each request checked as S3 checks it (see
 * handler.ts), with credentials of its own kept in `directory`.
 */
export async function startLocalStore(options: LocalStoreOptions) {
  mkdirSync(options.directory, { recursive: true, mode: 0o700 });
  const credentials = loadLocalCredentials(options.directory);
  const clock = options.clock ?? systemClock;
  // Not a bucket name (those have no underscore): it cannot meet the directory s3rver kept a bucket in.
  const files = openObjectFiles(join(options.directory, '_objects', options.bucket), clock);
  await files.open();
  await importS3rverObjects(options.directory, options.bucket, files);
  const handler = createLocalStoreHandler({
    bucket: options.bucket,
    files,
    verifier: createSignatureVerifier({ credentials, region: LOCAL_STORE_REGION, clock }),
    clock,
    allowedOrigins: options.allowedOrigins,
    maxObjectBytes: MAX_OBJECT_BYTES,
  });
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: options.port,
    // Never Bun's HTML error page: errors are S3's XML.
    development: false,
    // Above the store's own bound, so that the store answers (in XML) before Bun does.
    maxRequestBodySize: MAX_OBJECT_BYTES + 1024 * 1024,
    fetch: handler.handle,
    error: handler.failed,
  });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    region: LOCAL_STORE_REGION,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    close: () => server.stop(true),
  };
}
