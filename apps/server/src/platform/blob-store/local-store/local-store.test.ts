import { describe, expect, it } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createManualClock } from '../../clock/index.ts';
import type { UploadGrant } from '../blob-store.ts';
import { createS3BlobStore } from '../s3-blob-store.ts';
import { startLocalStore } from './server.ts';

const BUCKET = 'media';
const APP_ORIGIN = 'https://chat.example.com';

/**
 * A store on its own directory, with the clients the app uses on it: the
 * SDK (as the server) and the BlobStore (grants and links). Its clock starts
 * at the time the SDK signs with, and moves only when a test says so.
 */
async function openStore(options: { directory?: string } = {}) {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'gopherchat-local-store-'));
  const clock = createManualClock(Date.now());
  const local = await startLocalStore({ directory, bucket: BUCKET, port: 0, allowedOrigins: [APP_ORIGIN], clock });
  const credentials = { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey };
  const client = new S3Client({
    endpoint: local.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // One answer per request: the SDK would retry a refusal after correcting its clock.
    maxAttempts: 1,
  });
  const blobs = createS3BlobStore({
    endpoint: local.endpoint,
    publicEndpoint: undefined,
    region: 'us-east-1',
    bucket: BUCKET,
    ...credentials,
    forcePathStyle: true,
  });
  return {
    local,
    client,
    blobs,
    clock,
    directory,
    url: (path: string) => `${local.endpoint}${path}`,
    put: (key: string, body: string | Uint8Array, contentType = 'text/plain') =>
      client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType })),
    async [Symbol.asyncDispose]() {
      client.destroy();
      blobs.close();
      await local.close();
      // A directory it was given outlives it (to restart on it).
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** What a browser sends with a grant, with `edits` made to its fields (undefined: the field left out). */
function postForm(
  grant: UploadGrant,
  bytes: Uint8Array | string,
  edits: Record<string, string | undefined> = {},
  options: { origin?: string } = {},
) {
  const form = new FormData();
  const fields: Record<string, string | undefined> = { ...grant.fields, ...edits };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : (bytes as Uint8Array<ArrayBuffer>)]));
  return fetch(grant.url, { method: 'POST', body: form, headers: options.origin ? { origin: options.origin } : {} });
}

/** The S3 error code of an XML error answer. */
async function errorCode(response: Response): Promise<string | undefined> {
  const body = await response.text();
  expect(response.headers.get('content-type')).toStartWith('application/xml');
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

/** The code of the S3 error an SDK call failed with. */
async function sdkRefusal(call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  return call.then(
    () => {
      throw new Error('expected the store to refuse');
    },
    (error: { name: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      status: error.$metadata?.httpStatusCode,
    }),
  );
}

async function bytesOf(store: Awaited<ReturnType<typeof openStore>>, key: string) {
  const object = await store.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return object.Body?.transformToString();
}

const SECRET = 'the minutes of the board meeting';

describe('the embedded S3-compatible store', () => {
  describe('without a signature', () => {
    it('refuses an unsigned GET (anyone on loopback could read every file)', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', SECRET);
      const response = await fetch(store.url('/media/media/a1/file'));
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).toContain('<Code>AccessDenied</Code>');
      expect(body).not.toContain(SECRET);
      expect((await fetch(store.url('/media/media/a1/file'), { method: 'HEAD' })).status).toBe(403);
    });

    it('refuses an unsigned listing of the bucket and of the buckets (anyone could list every file)', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', SECRET);
      for (const path of ['/', '/media', '/media/', '/media?list-type=2', '/media?prefix=media/']) {
        const response = await fetch(store.url(path));
        expect(response.status).toBe(403);
        expect(await errorCode(response)).toBe('AccessDenied');
      }
    });

    it('refuses an unsigned PUT (anyone on loopback could overwrite a file)', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', SECRET);
      const response = await fetch(store.url('/media/media/a1/file'), {
        method: 'PUT',
        body: '<script>alert(1)</script>',
        headers: { 'content-type': 'text/html' },
      });
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('AccessDenied');
      expect(await bytesOf(store, 'media/a1/file')).toBe(SECRET);
    });

    it('refuses an unsigned DELETE (anyone on loopback could delete a file)', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', SECRET);
      const response = await fetch(store.url('/media/media/a1/file'), { method: 'DELETE' });
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('AccessDenied');
      expect(await bytesOf(store, 'media/a1/file')).toBe(SECRET);
    });

    it('refuses the fixed public credentials it used to share with every install (S3RVER/S3RVER)', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', SECRET);
      const stranger = new S3Client({
        endpoint: store.local.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        maxAttempts: 1,
      });
      try {
        const refused = await sdkRefusal(stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'media/a1/file' })));
        expect(refused.status).toBe(403);
        const url = await getSignedUrl(stranger, new GetObjectCommand({ Bucket: BUCKET, Key: 'media/a1/file' }));
        expect((await fetch(url)).status).toBe(403);
      } finally {
        stranger.destroy();
      }
    });
  });

  describe('its credentials', () => {
    it('are random for each data directory, kept across restarts in a file only its owner can read', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'gopherchat-local-store-'));
      using _ = { [Symbol.dispose]: () => rmSync(directory, { recursive: true, force: true }) };
      let first: { accessKeyId: string; secretAccessKey: string };
      {
        await using store = await openStore({ directory });
        first = { accessKeyId: store.local.accessKeyId, secretAccessKey: store.local.secretAccessKey };
        await store.put('kept', 'still here');
      }
      expect(first.accessKeyId).not.toBe('S3RVER');
      expect(first.secretAccessKey.length).toBeGreaterThanOrEqual(40);
      const file = join(directory, 'credentials.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);

      await using again = await openStore({ directory });
      expect({ accessKeyId: again.local.accessKeyId, secretAccessKey: again.local.secretAccessKey }).toEqual(first);
      expect(await bytesOf(again, 'kept')).toBe('still here');
      await using other = await openStore();
      expect(other.local.secretAccessKey).not.toBe(first.secretAccessKey);
    });
  });

  describe('its first start where s3rver kept the files', () => {
    it('takes them over, with their types, and leaves nothing of s3rver’s layout', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'gopherchat-local-store-'));
      using _ = { [Symbol.dispose]: () => rmSync(directory, { recursive: true, force: true }) };
      // As s3rver 3.7 kept them: the bytes, the metadata, the MD5, and the bucket's CORS.
      mkdirSync(join(directory, 'media', 'media', '0190'), { recursive: true });
      const legacy = (path: string, text: string) => writeFileSync(join(directory, 'media', path), text);
      legacy('media/0190/original._S3rver_object', 'kept by s3rver');
      legacy('media/0190/original._S3rver_metadata.json', JSON.stringify({ 'content-type': 'image/png' }));
      legacy('media/0190/original._S3rver_object.md5', '0123456789abcdef0123456789abcdef');
      legacy('._S3rver_cors.xml', '<CORSConfiguration/>');
      await using store = await openStore({ directory });
      expect(await bytesOf(store, 'media/0190/original')).toBe('kept by s3rver');
      expect(
        await store.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'media/0190/original' })),
      ).toMatchObject({ ContentType: 'image/png', ContentLength: 14 });
      expect(existsSync(join(directory, 'media'))).toBe(false);
    });
  });

  describe('presigned GETs', () => {
    it('refuses a link whose response-content-type was changed to text/html (it was served as a page of the store)', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', '<script>alert(document.domain)</script>');
      const url = new URL(
        await store.blobs.downloadUrl({
          key: 'media/a1/file',
          fileName: 'notes.txt',
          contentType: 'text/plain',
          disposition: 'attachment',
          expiresInSeconds: 60,
        }),
      );
      expect((await fetch(url)).status).toBe(200);
      for (const [name, value] of [
        ['response-content-type', 'text/html'],
        ['response-content-disposition', 'inline'],
      ] as const) {
        const tampered = new URL(url);
        tampered.searchParams.set(name, value);
        const response = await fetch(tampered);
        expect(response.status).toBe(403);
        expect(await errorCode(response)).toBe('SignatureDoesNotMatch');
      }
      const otherKey = new URL(url);
      otherKey.pathname = '/media/media/a2/file';
      expect((await fetch(otherKey)).status).toBe(403);
    });

    it('refuses a link once it has expired', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', SECRET);
      const url = await store.blobs.downloadUrl({
        key: 'media/a1/file',
        fileName: 'notes.txt',
        contentType: 'text/plain',
        disposition: 'attachment',
        expiresInSeconds: 60,
      });
      store.clock.advance(59_000);
      expect((await fetch(url)).status).toBe(200);
      // Past the minute by more than the time taken since the clock was set.
      store.clock.advance(11_000);
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      expect(await errorCode(expired)).toBe('AccessDenied');
    });

    it('serves the type the object was stored with unless the link says otherwise, never to be sniffed', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', '<html><script>alert(1)</script></html>', 'text/plain');
      const plain = await fetch(
        await getSignedUrl(store.client, new GetObjectCommand({ Bucket: BUCKET, Key: 'media/a1/file' })),
      );
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe('text/plain');
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(plain.headers.get('content-disposition')).toBeNull();

      const signed = await fetch(
        await store.blobs.downloadUrl({
          key: 'media/a1/file',
          fileName: 'page.html',
          contentType: 'application/octet-stream',
          disposition: 'attachment',
          expiresInSeconds: 60,
        }),
      );
      expect(signed.headers.get('content-type')).toBe('application/octet-stream');
      expect(signed.headers.get('content-disposition')).toStartWith('attachment; filename="page.html"');
      expect(signed.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('browser uploads (POST with a policy)', () => {
    const grantFor = (store: Awaited<ReturnType<typeof openStore>>, key = 'media/a1/upload', maxBytes = 100) =>
      store.blobs.grantUpload({ key, contentType: 'text/plain', maxBytes, expiresInSeconds: 60 });

    it('takes an upload that keeps to its grant, stored with the type the grant named', async () => {
      await using store = await openStore();
      const grant = await grantFor(store);
      const response = await postForm(grant, 'hello');
      expect(response.status).toBe(204);
      const head = await store.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'media/a1/upload' }));
      expect(head).toMatchObject({ ContentLength: 5, ContentType: 'text/plain' });
    });

    it('refuses a form whose key was edited (a grant could write another person’s file)', async () => {
      await using store = await openStore();
      await store.put('media/a2/file', SECRET);
      const grant = await grantFor(store);
      const response = await postForm(grant, 'overwritten', { key: 'media/a2/file' });
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('AccessDenied');
      expect(await bytesOf(store, 'media/a2/file')).toBe(SECRET);
    });

    it('refuses a form whose Content-Type was edited to text/html (it was stored and served as HTML)', async () => {
      await using store = await openStore();
      const grant = await grantFor(store);
      const response = await postForm(grant, '<script>alert(1)</script>', { 'Content-Type': 'text/html' });
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('AccessDenied');
      expect(await store.blobs.stat('media/a1/upload')).toBeUndefined();
    });

    it('refuses a form with a field its policy does not name', async () => {
      await using store = await openStore();
      const grant = await grantFor(store);
      for (const [name, value] of [
        ['Content-Disposition', 'inline'],
        ['success_action_redirect', 'https://evil.example/'],
        ['x-amz-meta-owner', 'eve'],
      ] as const) {
        const response = await postForm(grant, 'hello', { [name]: value });
        expect(response.status).toBe(403);
      }
      expect(await store.blobs.stat('media/a1/upload')).toBeUndefined();
    });

    it('refuses a form whose policy was loosened, or that lost its signature', async () => {
      await using store = await openStore();
      const grant = await grantFor(store, 'media/a1/upload', 10);
      const policy = JSON.parse(atob(grant.fields.Policy ?? '')) as { conditions: unknown[] };
      policy.conditions = policy.conditions.map((condition) =>
        Array.isArray(condition) && condition[0] === 'content-length-range'
          ? ['content-length-range', 1, 1e9]
          : condition,
      );
      const loosened = await postForm(grant, 'more than ten bytes', { Policy: btoa(JSON.stringify(policy)) });
      expect(loosened.status).toBe(403);
      expect(await errorCode(loosened)).toBe('SignatureDoesNotMatch');
      const unsigned = await postForm(grant, 'hello', { 'X-Amz-Signature': undefined });
      expect(unsigned.status).toBe(403);
      const noPolicy = await postForm(grant, 'hello', { Policy: undefined, 'X-Amz-Signature': undefined });
      expect(noPolicy.status).toBe(403);
      expect(await store.blobs.stat('media/a1/upload')).toBeUndefined();
    });

    it('refuses a file larger than its policy allows, and an empty one', async () => {
      await using store = await openStore();
      const grant = await grantFor(store, 'media/a1/upload', 10);
      const tooLarge = await postForm(grant, 'eleven byte');
      expect(tooLarge.status).toBe(400);
      expect(await errorCode(tooLarge)).toBe('EntityTooLarge');
      const empty = await postForm(grant, '');
      expect(empty.status).toBe(400);
      expect(await errorCode(empty)).toBe('EntityTooSmall');
      expect(await store.blobs.stat('media/a1/upload')).toBeUndefined();
      expect((await postForm(grant, 'ten bytes!')).status).toBe(204);
    });

    it('refuses a form once its policy has expired', async () => {
      await using store = await openStore();
      const grant = await grantFor(store);
      store.clock.advance(70_000);
      const response = await postForm(grant, 'hello');
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('AccessDenied');
      expect(await store.blobs.stat('media/a1/upload')).toBeUndefined();
    });

    it('refuses a key that climbs out of the store with ..', async () => {
      await using store = await openStore();
      const grant = await grantFor(store, '../../escaped');
      const response = await postForm(grant, 'hello');
      expect(response.status).toBe(400);
      expect(existsSync(join(store.directory, '..', 'escaped'))).toBe(false);
      const copy = await sdkRefusal(
        store.client.send(
          new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: `${BUCKET}/..%2F..%2Fetc%2Fpasswd` }),
        ),
      );
      expect(copy.status).toBe(400);
    });
  });

  describe('the AWS SDK', () => {
    it('has what it signs accepted: put, head, ranged get, copy, delete', async () => {
      await using store = await openStore();
      await store.put('media/a1/upload', 'the quick brown fox', 'text/plain');
      expect(await store.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'media/a1/upload' }))).toMatchObject({
        ContentLength: 19,
        ContentType: 'text/plain',
      });
      const range = await store.client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: 'media/a1/upload', Range: 'bytes=4-8' }),
      );
      expect(range.ContentRange).toBe('bytes 4-8/19');
      expect(await range.Body?.transformToString()).toBe('quick');
      await store.client.send(
        new CopyObjectCommand({
          Bucket: BUCKET,
          Key: 'media/a1/Ünïcode +&= file',
          CopySource: `${BUCKET}/media/a1/upload`,
        }),
      );
      expect(await bytesOf(store, 'media/a1/Ünïcode +&= file')).toBe('the quick brown fox');
      expect(
        await store.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'media/a1/Ünïcode +&= file' })),
      ).toMatchObject({ ContentType: 'text/plain' });
      await store.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'media/a1/upload' }));
      expect(
        await sdkRefusal(store.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'media/a1/upload' }))),
      ).toEqual({
        name: 'NotFound',
        status: 404,
      });
      expect(
        await sdkRefusal(
          store.client.send(
            new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: `${BUCKET}/media/a1/upload` }),
          ),
        ),
      ).toEqual({ name: 'NoSuchKey', status: 404 });
    });

    it('refuses a signed listing: only what the app uses is there', async () => {
      await using store = await openStore();
      await store.put('media/a1/file', SECRET);
      const refused = await sdkRefusal(store.client.send(new ListObjectsV2Command({ Bucket: BUCKET })));
      expect(refused).toEqual({ name: 'NotImplemented', status: 501 });
    });

    it('refuses a PUT whose body is not the one it signed', async () => {
      await using store = await openStore();
      // After signing: what a man in the middle would do to the request.
      store.client.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { body: unknown };
          // Of the same length: only the bytes differ from what was signed.
          request.body = new TextEncoder().encode('<b>other bytes</b>!!');
          return next(args);
        },
        { step: 'deserialize', name: 'swapBody' },
      );
      const refused = await sdkRefusal(store.put('media/a1/file', 'the real bytes of it'));
      expect(refused).toEqual({ name: 'XAmzContentSHA256Mismatch', status: 400 });
      store.client.middlewareStack.remove('swapBody');
      expect(await store.blobs.stat('media/a1/file')).toBeUndefined();
    });

    it('refuses a request signed more than 15 minutes away from its clock', async () => {
      await using store = await openStore();
      store.clock.advance(16 * 60_000);
      const refused = await sdkRefusal(store.put('media/a1/file', 'late'));
      expect(refused).toEqual({ name: 'RequestTimeTooSkewed', status: 403 });
      store.clock.advance(-32 * 60_000);
      expect((await sdkRefusal(store.put('media/a1/file', 'early'))).status).toBe(403);
    });
  });

  describe('browsers on other origins (CORS)', () => {
    it('answers the preflight of a loopback page or a configured origin, and no other', async () => {
      await using store = await openStore();
      const preflight = (origin: string, method = 'POST') =>
        fetch(store.url('/media'), {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'range' },
        });
      for (const origin of ['http://127.0.0.1:5173', 'http://localhost:3000', APP_ORIGIN]) {
        const response = await preflight(origin);
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
        expect(response.headers.get('access-control-allow-methods')).toContain('POST');
        expect(response.headers.get('access-control-allow-headers')).toContain('range');
      }
      const stranger = await preflight('https://evil.example');
      expect(stranger.status).toBe(403);
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight('http://127.0.0.1:5173', 'DELETE')).status).toBe(403);
    });

    it('lets an allowed page read the answers to its upload and its ranged GET', async () => {
      await using store = await openStore();
      const grant = await store.blobs.grantUpload({
        key: 'media/a1/upload',
        contentType: 'text/plain',
        maxBytes: 100,
        expiresInSeconds: 60,
      });
      const upload = await postForm(grant, 'hello world', {}, { origin: 'http://127.0.0.1:5173' });
      expect(upload.status).toBe(204);
      expect(upload.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
      const refused = await postForm(grant, 'x'.repeat(101), {}, { origin: APP_ORIGIN });
      expect(refused.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      const url = await store.blobs.downloadUrl({
        key: 'media/a1/upload',
        fileName: 'a.txt',
        contentType: 'text/plain',
        disposition: 'inline',
        expiresInSeconds: 60,
      });
      const piece = await fetch(url, { headers: { origin: APP_ORIGIN, range: 'bytes=6-' } });
      expect(piece.status).toBe(206);
      expect(piece.headers.get('content-range')).toBe('bytes 6-10/11');
      expect(piece.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(await piece.text()).toBe('world');
      const stranger = await fetch(url, { headers: { origin: 'https://evil.example' } });
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
