import { describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fuzzRounds, fuzzSeed, type Random, seededRandom } from '../../../testing/fuzz.ts';
import { createManualClock } from '../../clock/index.ts';
import type { UploadGrant } from '../blob-store.ts';
import { createS3BlobStore } from '../s3-blob-store.ts';
import { startLocalStore } from './server.ts';

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH', 'PROPFIND', 'COPY'];
const SEGMENTS = [
  'media',
  'other-bucket',
  'uploads',
  'a',
  '..',
  '.',
  '%2e%2e',
  '%2E.',
  '%',
  '%zz',
  '%c3%28',
  '%ff%fe',
  '%00',
  '%0d%0a',
  '%2F',
  '%2f..%2f',
  '~user',
  '%E2%80%AE',
  'x'.repeat(1500),
  '',
];
const QUERIES = [
  '',
  'acl',
  'list-type=2',
  'uploads',
  'delete',
  'versionId=1',
  'x-id=GetObject',
  'response-content-type=text%2Fhtml',
  'response-content-disposition=inline&response-content-disposition=attachment',
  '%zz=1',
  'a=%',
  'X-Amz-Algorithm=AWS4-HMAC-SHA256',
  'X-Amz-Signature=zz',
  `${'p=1&'.repeat(40)}q=2`,
];
const CONTENT_TYPES = [
  'text/html',
  'multipart/form-data; boundary=XyZ',
  'multipart/form-data; boundary="a b"',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/xml',
];

const LOOPBACK_PAGE = 'http://[::1]:1';
/** The day the fuzzed requests are dated, and the store's clock stands at. */
const FUZZ_DATE = '20261207T040343Z';

function presignedQuery(random: Random, accessKeyId: string): string {
  const date = random.pick([FUZZ_DATE, FUZZ_DATE, '20260230T000000Z', '99999999T999999Z', '']);
  const parts = [
    `X-Amz-Algorithm=${random.pick(['AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256', ''])}`,
    `X-Amz-Credential=${random.pick([`${accessKeyId}%2F20261207%2Fus-east-1%2Fs3%2Faws4_request`, 'S3RVER%2F20261207', '%2F%2F%2F%2F'])}`,
    `X-Amz-Date=${date}`,
    `X-Amz-Expires=${random.pick(['60', '0', '604801', '-1', '1e3', '99999999'])}`,
    `X-Amz-SignedHeaders=${random.pick(['host', 'host', 'host%3Bx-amz-date', 'origin%3Brange', 'zz', 'Host', ''])}`,
    `X-Amz-Signature=${random.hex(random.pick([64, 63, 0]))}`,
  ];
  return parts.filter(() => random.chance(0.85)).join('&');
}

function authorizationHeader(random: Random, accessKeyId: string): string {
  if (random.chance(0.6)) {
    const signed = random.pick([
      'host;x-amz-content-sha256;x-amz-date',
      'content-type;host;range;x-amz-content-sha256;x-amz-copy-source;x-amz-date',
      'host;origin;x-amz-content-sha256;x-amz-date',
    ]);
    return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/us-east-1/s3/aws4_request, SignedHeaders=${signed}, Signature=${random.hex(64)}`;
  }
  return random.pick([
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${random.hex(64)}`,
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;range;x-amz-content-sha256;x-amz-copy-source;x-amz-date, Signature=${random.hex(64)}`,
    `AWS4-HMAC-SHA256 Credential=S3RVER/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${random.hex(64)}`,
    'AWS S3RVER:c2lnbmF0dXJl',
    'Bearer x',
    `AWS4-HMAC-SHA256 Credential=${'A'.repeat(300)}, SignedHeaders=${'a;'.repeat(40)}b, Signature=${random.hex(64)}`,
    '',
  ]);
}

/** A multipart body, often broken: cut short, without a file, with huge or odd parts. */
function formBody(random: Random, boundary: string): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  const fieldNames = [
    'key',
    'Content-Type',
    'Policy',
    'X-Amz-Signature',
    'X-Amz-Credential',
    'bucket',
    'file',
    'other',
  ];
  const parts = random.int(6);
  for (let part = 0; part < parts; part++) {
    const name = random.pick(fieldNames);
    const header = random.pick([
      `Content-Disposition: form-data; name="${name}"`,
      `Content-Disposition: form-data; name="${name}"; filename="x.html"\r\nContent-Type: text/html`,
      'Content-Disposition: attachment',
      'no colon here',
      `Content-Disposition: form-data; name=${name}`,
    ]);
    pieces.push(encoder.encode(`--${boundary}\r\n${header}\r\n\r\n`));
    pieces.push(
      random.chance(0.5)
        ? encoder.encode(random.pick(['media/a', 'eyJleHBpcmF0aW9uIjoxfQ==', 'e30=', '!!!', 'text/plain']))
        : random.bytes(random.int(3000)),
    );
    pieces.push(encoder.encode('\r\n'));
  }
  if (random.chance(0.6)) pieces.push(encoder.encode(`--${boundary}--\r\n`));
  const body = Buffer.concat(pieces);
  return random.chance(0.2) ? body.subarray(0, random.int(body.length + 1)) : body;
}

/** A form the store granted, as a browser sends it, with random edits: fields changed, dropped, added, repeated, cut short. */
function editedGrantForm(random: Random, grant: UploadGrant): { head: string; body: Uint8Array } {
  const fields: [string, string][] = Object.entries(grant.fields);
  const edits = random.int(4);
  for (let edit = 0; edit < edits; edit++) {
    const at = random.int(fields.length);
    const field = fields[at];
    switch (random.int(5)) {
      case 0:
        fields.splice(at, 1);
        break;
      case 1:
        if (field) fields[at] = [field[0], random.pick(['text/html', 'media/b/upload', '', 'e30=', field[1].slice(1)])];
        break;
      case 2:
        if (field) fields.push([field[0].toUpperCase(), field[1]]);
        break;
      case 3:
        fields.push([random.pick(['success_action_status', 'x-ignore-me', 'Content-Disposition', 'acl']), '201']);
        break;
      default:
        fields.reverse();
    }
  }
  const boundary = `----fuzz${random.hex(16)}`;
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const file = random.bytes(random.pick([0, 1, 50, 100, 101, 4000]));
  const whole = Buffer.concat([
    Buffer.from(`${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const body = random.chance(0.2) ? whole.subarray(0, random.int(whole.length)) : whole;
  const head = [
    'POST /media HTTP/1.1',
    'Host: 127.0.0.1',
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    `Content-Length: ${body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return { head, body };
}

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** One request over its own connection, exactly as written (fetch would normalise the path). */
function sendRaw(port: number, head: string, body: Uint8Array): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const received: Uint8Array[] = [];
    void Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(socket) {
          socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
        },
        data(_socket, data) {
          received.push(data);
        },
        close() {
          const text = Buffer.concat(received).toString('latin1');
          const end = text.indexOf('\r\n\r\n');
          const [statusLine = '', ...lines] = text.slice(0, end < 0 ? text.length : end).split('\r\n');
          const headers = new Map(
            lines.map((line) => [
              line.slice(0, line.indexOf(':')).toLowerCase(),
              line.slice(line.indexOf(':') + 1).trim(),
            ]),
          );
          resolve({ status: Number(statusLine.split(' ')[1]), headers, body: end < 0 ? '' : text.slice(end + 4) });
        },
        error(_socket, error) {
          reject(error);
        },
      },
    }).catch(reject);
  });
}

function randomRequest(random: Random, accessKeyId: string): { method: string; head: string; body: Uint8Array } {
  const method = random.pick(METHODS);
  const segments = Array.from({ length: random.int(4) }, (_, at) =>
    at === 0 && random.chance(0.5) ? 'media' : random.pick(SEGMENTS),
  );
  // A browser's upload: to the bucket, with no query and no Authorization.
  const isUpload = method === 'POST' && random.chance(0.5);
  // A signed-looking request mostly has what a signature needs, so that it reaches the signature's check.
  const isSigned = !isUpload && random.chance(0.4);
  const query = isSigned
    ? random.pick(['', 'x-id=PutObject', ...QUERIES])
    : random.chance(0.3)
      ? presignedQuery(random, accessKeyId)
      : random.pick(QUERIES);
  const target = isUpload ? '/media' : `/${segments.join('/')}${query ? `?${query}` : ''}`;
  const headers: [string, string][] = [['Host', '127.0.0.1']];
  if (isSigned) headers.push(['Authorization', authorizationHeader(random, accessKeyId)]);
  if (random.chance(isSigned ? 0.9 : 0.3)) {
    headers.push(['X-Amz-Date', random.pick([FUZZ_DATE, FUZZ_DATE, FUZZ_DATE, '20261206T000000Z', 'yesterday', ''])]);
  }
  if (random.chance(isSigned ? 0.9 : 0.3)) {
    const hash = random.pick([random.hex(64), random.hex(64), 'UNSIGNED-PAYLOAD', 'STREAMING-X', '']);
    headers.push(['X-Amz-Content-Sha256', hash]);
  }
  if (random.chance(0.3)) headers.push(['Origin', random.pick(['https://evil.example', 'null', LOOPBACK_PAGE])]);
  if (random.chance(0.3)) headers.push(['Access-Control-Request-Method', random.pick(['POST', 'DELETE', 'GET'])]);
  if (random.chance(0.2)) {
    headers.push(['Access-Control-Request-Headers', random.pick(['range', 'a b', 'x'.repeat(2000)])]);
  }
  if (random.chance(0.3)) {
    headers.push(['Range', random.pick(['bytes=0-10', 'bytes=-0', 'bytes=9-1', 'bytes=a-b', 'x'])]);
  }
  if (random.chance(0.2)) headers.push(['X-Amz-Copy-Source', random.pick(['/media/a', 'media%2F..%2Fx', '%zz', '?'])]);
  const boundary = random.pick(['XyZ', 'a b', '-'.repeat(70)]);
  let body: Uint8Array = new Uint8Array();
  if (method === 'POST' || random.chance(0.2)) {
    headers.push([
      'Content-Type',
      random.chance(0.7) ? `multipart/form-data; boundary=${boundary}` : random.pick(CONTENT_TYPES),
    ]);
    body = formBody(random, boundary);
  } else if (random.chance(0.3)) {
    body = random.bytes(random.int(5000));
  }
  const isChunked = body.length > 0 && random.chance(0.2);
  if (isChunked) {
    headers.push(['Transfer-Encoding', 'chunked']);
    body = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  } else if (body.length > 0 || random.chance(0.5)) {
    headers.push(['Content-Length', String(body.length)]);
  }
  headers.push(['Connection', 'close']);
  const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return { method, head, body };
}

describe('the embedded store’s HTTP entry, fuzzed', () => {
  it('answers a few hundred random, malformed and edited requests with S3 XML errors, and keeps serving', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'gopherchat-local-store-fuzz-'));
    // At the requests' date, so that those signed with the store's key reach the signature's check.
    const clock = createManualClock(Date.UTC(2026, 11, 7, 4, 5, 0));
    const local = await startLocalStore({ directory, bucket: 'media', port: 0, allowedOrigins: [], clock });
    const port = Number(new URL(local.endpoint).port);
    const client = new S3Client({
      endpoint: local.endpoint,
      region: local.region,
      forcePathStyle: true,
      credentials: { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      systemClockOffset: clock.now() - Date.now(),
    });
    const blobs = createS3BlobStore({
      endpoint: local.endpoint,
      publicEndpoint: undefined,
      region: local.region,
      bucket: 'media',
      accessKeyId: local.accessKeyId,
      secretAccessKey: local.secretAccessKey,
      forcePathStyle: true,
    });
    try {
      await client.send(new PutObjectCommand({ Bucket: 'media', Key: 'a', Body: 'kept', ContentType: 'text/plain' }));
      const grant = await blobs.grantUpload({
        key: 'media/a/upload',
        contentType: 'text/plain',
        maxBytes: 100,
        expiresInSeconds: 60,
      });
      const random = seededRandom(fuzzSeed);
      for (let sent = 0; sent < 400 * fuzzRounds; sent++) {
        const isGrantForm = random.chance(0.25);
        const { method, head, body } = isGrantForm
          ? { method: 'POST', ...editedGrantForm(random, grant) }
          : randomRequest(random, local.accessKeyId);
        const response = await sendRaw(port, head, body);
        const context = `${head.split('\r\n')[0]?.slice(0, 200)} → ${response.status} ${response.body.slice(0, 300)}`;
        // An edited grant may still keep to its policy (checked below); nothing else succeeds.
        if (isGrantForm && response.status === 204) continue;
        // A loopback page's preflight is answered.
        const isLoopbackPreflight = response.headers.get('access-control-allow-origin') === LOOPBACK_PAGE;
        if (method === 'OPTIONS' && response.status === 200 && isLoopbackPreflight) continue;
        // Nothing is an unexpected failure (500) of the store.
        expect(response.status >= 400 && response.status < 600 && response.status !== 500, context).toBe(true);
        if (method !== 'HEAD') {
          expect(response.headers.get('content-type'), context).toBe('application/xml');
          expect(response.body, context).toMatch(
            /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>[A-Za-z]+<\/Code>/,
          );
        }
        expect(response.headers.get('x-content-type-options'), context).toBe('nosniff');
      }

      const root = await fetch(`${local.endpoint}/`);
      expect(root.status).toBe(403);
      expect(await root.text()).toContain('<Code>AccessDenied</Code>');
      const kept = await client.send(new GetObjectCommand({ Bucket: 'media', Key: 'a' }));
      expect(await kept.Body?.transformToString()).toBe('kept');
      // What the grant let through kept to its policy.
      const uploaded = await client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'media/a/upload' }));
      expect(uploaded.ContentType).toBe('text/plain');
      expect(uploaded.ContentLength).toBeWithin(1, 101);
      const elsewhere = await client
        .send(new HeadObjectCommand({ Bucket: 'media', Key: 'media/b/upload' }))
        .catch((error) => error);
      expect(elsewhere).toMatchObject({ name: 'NotFound' });
    } finally {
      client.destroy();
      blobs.close();
      await local.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
