import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

type KoaMiddleware = (ctx: { set(name: string, value: string): void }, next: () => Promise<void>) => Promise<void>;

/** s3rver checks signatures against these fixed credentials. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Browsers upload straight to the store, so it must answer CORS: any
 * loopback page (the dev server, the app itself on any port) and the
 * configured origins may POST uploads and GET files.
 */
function corsConfiguration(allowedOrigins: string[]): string {
  const origins = ['http://localhost:*', 'http://127.0.0.1:*', ...allowedOrigins];
  return `<CORSConfiguration><CORSRule>
    ${origins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`).join('')}
    <AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule></CORSConfiguration>`;
}

/**
 * The embedded default's S3-compatible store: s3rver on a loopback port,
 * keeping objects under `directory`. It checks presigned signatures but not
 * a POST policy's conditions (size, type), which is one reason the app
 * checks every upload itself before it can be attached.
 */
export async function startLocalS3Server(options: {
  directory: string;
  bucket: string;
  port: number;
  allowedOrigins: string[];
}) {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [corsConfiguration(options.allowedOrigins)] }],
  });
  // s3rver is a Koa app (its published types predate that): first in its chain,
  // every file it serves says "do not guess the type".
  (server as unknown as { middleware: KoaMiddleware[] }).middleware.unshift(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    ...LOCAL_CREDENTIALS,
    close: () => server.close(),
  };
}
