import { describe, expect, it } from 'bun:test';
import { createHash, createHmac } from 'node:crypto';
import { createS3BlobStore } from './s3-blob-store.ts';

/**
 * What the store hands out, checked by an independent implementation of AWS
 * Signature Version 4 (not the SDK's, which the embedded store also
 * verifies with): S3 itself, R2 and MinIO verify exactly this.
 */
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const store = createS3BlobStore({
  endpoint: 'http://s3.internal:9000',
  publicEndpoint: 'https://files.example.com',
  region: 'eu-west-3',
  bucket: 'media',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: SECRET,
  forcePathStyle: true,
});

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

function signingKey(date: string, region: string) {
  return hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), 's3'), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 wants it. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

function getSignature(url: URL): string {
  const params = [...url.searchParams].filter(([name]) => name !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([name, value]) => [encode(name), encode(value)])
    // By code point, as SigV4 wants (not by locale).
    .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = ['GET', url.pathname, canonicalQuery, `host:${url.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join(
    '\n',
  );
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const scope = (url.searchParams.get('X-Amz-Credential') ?? '').split('/').slice(1).join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  return hmac(signingKey(amzDate.slice(0, 8), 'eu-west-3'), stringToSign).toString('hex');
}

describe('S3 signing', () => {
  it('grants a POST whose policy pins the key, the type, the size and a short expiry, and is signed', async () => {
    const before = Date.now();
    const grant = await store.grantUpload({
      key: 'uploads/u1/a1',
      contentType: 'image/png',
      maxBytes: 5_000_000,
      expiresInSeconds: 300,
    });
    expect(grant.url).toBe('https://files.example.com/media');
    const { Policy: policyBase64, 'X-Amz-Signature': signature, key } = grant.fields;
    expect(key).toBe('uploads/u1/a1');
    const policy = JSON.parse(Buffer.from(policyBase64 ?? '', 'base64').toString()) as {
      expiration: string;
      conditions: unknown[];
    };
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeGreaterThan(290_000);
    expect(expiresIn).toBeLessThanOrEqual(301_000);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'media' },
        { key: 'uploads/u1/a1' },
        ['content-length-range', 1, 5_000_000],
        ['eq', '$Content-Type', 'image/png'],
      ]),
    );
    expect(grant.fields['Content-Type']).toBe('image/png');

    const date = (grant.fields['X-Amz-Date'] ?? '').slice(0, 8);
    const expected = hmac(signingKey(date, 'eu-west-3'), policyBase64 ?? '').toString('hex');
    expect(signature).toBe(expected);
    // A client that loosens the policy (a bigger file) no longer matches the signature.
    const loosened = Buffer.from(
      JSON.stringify({ ...policy, conditions: [...policy.conditions, ['content-length-range', 1, 1e12]] }),
    ).toString('base64');
    expect(hmac(signingKey(date, 'eu-west-3'), loosened).toString('hex')).not.toBe(signature);
  });

  it('signs a short-lived GET whose response type and disposition cannot be changed', async () => {
    const url = new URL(
      await store.downloadUrl({
        key: 'uploads/u1/a1',
        fileName: 'cat.png',
        contentType: 'image/png',
        disposition: 'inline',
        expiresInSeconds: 120,
      }),
    );
    expect(url.origin).toBe('https://files.example.com');
    expect(url.pathname).toBe('/media/uploads/u1/a1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('response-content-type')).toBe('image/png');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `inline; filename="cat.png"; filename*=UTF-8''cat.png`,
    );
    expect(url.searchParams.get('X-Amz-Signature')).toBe(getSignature(url));

    const tampered = new URL(url);
    tampered.searchParams.set('response-content-type', 'text/html');
    expect(getSignature(tampered)).not.toBe(url.searchParams.get('X-Amz-Signature'));
  });
});
