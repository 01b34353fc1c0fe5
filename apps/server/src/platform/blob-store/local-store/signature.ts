import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import {
  ALGORITHM_IDENTIFIER,
  getCanonicalHeaders,
  SignatureV4,
  SignatureV4Base,
  UNSIGNED_PAYLOAD,
} from '@smithy/signature-v4';
import { isSameSecret } from '../../../lib/same-secret.ts';
import type { Clock } from '../../clock/index.ts';
import type { LocalCredentials } from './credentials.ts';
import { S3Error, type S3ErrorCode } from './s3-error.ts';

type HttpRequest = Parameters<SignatureV4['presign']>[0];
type Secret = string | ArrayBuffer | ArrayBufferView;

/** How far a header-signed request's date may be from the store's clock, as on S3. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** The longest a presigned request may be valid, as on S3: a week. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
const MAX_SIGNED_HEADERS = 32;

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the smithy signer takes. */
class NodeSha256 {
  readonly #secret: Secret | undefined;
  #hash: Hash | Hmac;
  constructor(secret?: Secret) {
    this.#secret = secret;
    this.#hash = this.#start();
  }
  #start(): Hash | Hmac {
    if (this.#secret === undefined) return createHash('sha256');
    const secret = this.#secret;
    const key =
      typeof secret === 'string'
        ? secret
        : secret instanceof ArrayBuffer
          ? new Uint8Array(secret)
          : new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength);
    return createHmac('sha256', key);
  }
  update(data: string | Uint8Array) {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset() {
    this.#hash = this.#start();
  }
}

/**
 * SigV4's canonical request and string to sign, built by the smithy signer
 * the AWS SDK signs with (S3's flavour: the path as sent, not encoded again).
 * Its building blocks are protected: this subclass only hands them out.
 */
class CanonicalRequests extends SignatureV4Base {
  constructor(credentials: LocalCredentials, region: string) {
    super({ service: 's3', region, credentials, sha256: NodeSha256, uriEscapePath: false });
  }

  stringToSign(request: HttpRequest, payloadHash: string, longDate: string, scope: string): Promise<string> {
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(Object.keys(request.headers)));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
  }
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** An X-Amz-Date (20261207T040343Z), or undefined when it is not a real one. */
function parseAmzDate(value: string | null | undefined): Date | undefined {
  const match = AMZ_DATE.exec(value ?? '');
  if (!match) return undefined;
  const [year = 0, month = 0, day = 0, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  // Date.UTC rolls 20261332 over into the next year: only a date that comes back the same is real.
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '') === value ? date : undefined;
}

/** A request as it came: what its signature covers. */
export interface SignedRequest {
  method: string;
  /** The path exactly as sent (percent-encoded): S3 signs it so. */
  rawPath: string;
  /** Query parameters, decoded, in order. */
  query: ReadonlyArray<readonly [string, string]>;
  headers: Headers;
}

export interface Authentication {
  /** The SHA-256 (hex) the body must have; undefined when the signature does not cover the body. */
  payloadSha256: string | undefined;
}

/** Query parameters of a presigned request (SigV4 query form). */
const QUERY_AUTH = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
} as const;
const QUERY_AUTH_NAMES = new Set<string>(Object.values(QUERY_AUTH));

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]{1,256}), ?SignedHeaders=([^,\s]{1,1024}), ?Signature=([0-9a-f]{64})$/;

/**
 * Checks AWS Signature Version 4 as S3 does, by signing the request again
 * with this store's key: the Authorization header form (with the date
 * within 15 minutes, and the body's SHA-256 for the caller to check) and
 * the presigned query form (until it expires), and the signature of a
 * browser upload's POST policy. Signatures are compared in constant time.
 */
export function createSignatureVerifier(options: { credentials: LocalCredentials; region: string; clock: Clock }) {
  const { credentials, region, clock } = options;
  const canonical = new CanonicalRequests(credentials, region);
  const signer = new SignatureV4({ service: 's3', region, credentials, sha256: NodeSha256, uriEscapePath: false });

  /** The scope after the access key (date/region/s3/aws4_request), if the credential is this store's for that date. */
  function scopeOf(credential: string, amzDate: string, malformed: S3ErrorCode): string {
    const parts = credential.split('/');
    const [accessKeyId = '', date, scopeRegion, service, terminator] = parts;
    if (parts.length !== 5) throw new S3Error(malformed, 'The credential is malformed.');
    if (!isSameSecret(accessKeyId, credentials.accessKeyId)) {
      throw new S3Error('InvalidAccessKeyId', 'The access key is not one of this store.');
    }
    if (date !== amzDate.slice(0, 8) || scopeRegion !== region || service !== 's3' || terminator !== 'aws4_request') {
      throw new S3Error(malformed, 'The credential is not scoped to this store and date.');
    }
    return parts.slice(1).join('/');
  }

  /**
   * The signed headers' values, by name. What the store acts on must be
   * signed: the host, and any Content-Type or x-amz-* header sent.
   */
  function signedHeaders(headers: Headers, list: string, required: string[]): Record<string, string> {
    const names = list.split(';');
    if (
      names.length > MAX_SIGNED_HEADERS ||
      !names.every((name) => /^[a-z0-9-]{1,64}$/.test(name)) ||
      [...new Set(names)].sort().join(';') !== list
    ) {
      throw new S3Error('AuthorizationHeaderMalformed', 'The signed headers are not a sorted list of header names.');
    }
    const mustSign = [...headers.keys()].filter((name) => name === 'content-type' || name.startsWith('x-amz-'));
    for (const name of [...required, ...mustSign]) {
      if (!names.includes(name)) throw new S3Error('AccessDenied', `The ${name} header must be signed.`);
    }
    const values: Record<string, string> = Object.create(null);
    for (const name of names) {
      const value = headers.get(name);
      if (value === null) throw new S3Error('SignatureDoesNotMatch', 'A signed header is missing.');
      values[name] = value;
    }
    return values;
  }

  async function expectedSignature(
    request: SignedRequest,
    headers: Record<string, string>,
    payloadHash: string,
    amzDate: string,
    date: Date,
    scope: string,
  ): Promise<string> {
    const query: Record<string, string | string[]> = Object.create(null);
    for (const [name, value] of request.query) {
      const previous = query[name];
      query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    const httpRequest = {
      method: request.method,
      protocol: 'http:',
      hostname: '',
      path: request.rawPath,
      query,
      headers,
    } satisfies HttpRequest;
    const stringToSign = await canonical.stringToSign(httpRequest, payloadHash, amzDate, scope);
    return signer.sign(stringToSign, { signingDate: date, signingRegion: region });
  }

  async function verifyHeaderSigned(request: SignedRequest, authorization: string): Promise<Authentication> {
    const match = AUTHORIZATION.exec(authorization);
    if (!match) throw new S3Error('AuthorizationHeaderMalformed', 'The Authorization header is not AWS4-HMAC-SHA256.');
    const [, credential = '', list = '', signature = ''] = match;
    const amzDate = request.headers.get('x-amz-date') ?? '';
    const date = parseAmzDate(amzDate);
    if (!date) throw new S3Error('AccessDenied', 'A signed request needs a valid x-amz-date header.');
    if (Math.abs(clock.now() - date.getTime()) > MAX_SKEW_MS) {
      throw new S3Error(
        'RequestTimeTooSkewed',
        'The request was signed more than 15 minutes from the time of the store.',
      );
    }
    const scope = scopeOf(credential, amzDate, 'AuthorizationHeaderMalformed');
    const payloadHash = request.headers.get('x-amz-content-sha256') ?? '';
    if (payloadHash.startsWith('STREAMING-')) {
      throw new S3Error('NotImplemented', 'Chunked signed uploads are not supported by this store.');
    }
    if (payloadHash !== UNSIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(payloadHash)) {
      throw new S3Error('InvalidRequest', 'A signed request needs a valid x-amz-content-sha256 header.');
    }
    const headers = signedHeaders(request.headers, list, ['host', 'x-amz-content-sha256', 'x-amz-date']);
    const expected = await expectedSignature(request, headers, payloadHash, amzDate, date, scope);
    if (!isSameSecret(signature, expected)) {
      throw new S3Error('SignatureDoesNotMatch', 'The request signature does not match.');
    }
    return { payloadSha256: payloadHash === UNSIGNED_PAYLOAD ? undefined : payloadHash };
  }

  async function verifyPresigned(request: SignedRequest): Promise<Authentication> {
    const params = new Map<string, string>();
    for (const [name, value] of request.query) {
      if (!QUERY_AUTH_NAMES.has(name)) continue;
      if (params.has(name)) throw new S3Error('AuthorizationQueryParametersError', `${name} is given twice.`);
      params.set(name, value);
    }
    const param = (name: string) => {
      const value = params.get(name);
      if (value === undefined) throw new S3Error('AuthorizationQueryParametersError', `${name} is missing.`);
      return value;
    };
    if (param(QUERY_AUTH.algorithm) !== ALGORITHM_IDENTIFIER) {
      throw new S3Error('AuthorizationQueryParametersError', 'Only AWS4-HMAC-SHA256 is supported.');
    }
    const amzDate = param(QUERY_AUTH.date);
    const date = parseAmzDate(amzDate);
    const expires = param(QUERY_AUTH.expires);
    const signature = param(QUERY_AUTH.signature);
    if (!date || !/^\d{1,6}$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature)) {
      throw new S3Error('AuthorizationQueryParametersError', 'The date, expiry or signature is malformed.');
    }
    const expiresInSeconds = Number(expires);
    if (expiresInSeconds < 1 || expiresInSeconds > MAX_EXPIRES_SECONDS) {
      throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be from 1 second to a week.');
    }
    const scope = scopeOf(param(QUERY_AUTH.credential), amzDate, 'AuthorizationQueryParametersError');
    const now = clock.now();
    if (now < date.getTime() - MAX_SKEW_MS) throw new S3Error('AccessDenied', 'Request is not valid yet.');
    if (now > date.getTime() + expiresInSeconds * 1000) throw new S3Error('AccessDenied', 'Request has expired.');
    const headers = signedHeaders(request.headers, param(QUERY_AUTH.signedHeaders), ['host']);
    // A presigned request's body is never signed (S3 signs UNSIGNED-PAYLOAD into its canonical request).
    const expected = await expectedSignature(request, headers, UNSIGNED_PAYLOAD, amzDate, date, scope);
    if (!isSameSecret(signature, expected)) {
      throw new S3Error('SignatureDoesNotMatch', 'The request signature does not match.');
    }
    return { payloadSha256: undefined };
  }

  return {
    /** Who may do anything here: a request signed with this store's key, in either SigV4 form. */
    async verifyRequest(request: SignedRequest): Promise<Authentication> {
      const authorization = request.headers.get('authorization');
      const isPresigned = request.query.some(([name]) => QUERY_AUTH_NAMES.has(name));
      if (authorization !== null && isPresigned) {
        throw new S3Error('InvalidArgument', 'Only one authentication mechanism is allowed.');
      }
      if (authorization !== null) return verifyHeaderSigned(request, authorization);
      if (isPresigned) return verifyPresigned(request);
      throw new S3Error('AccessDenied', 'Access denied: requests to this store must be signed.');
    },

    /**
     * Whether a browser upload's policy was signed with this store's key
     * (its conditions are checked by `checkPolicy`). Fields by lower-case name.
     */
    async verifyPolicySignature(fields: ReadonlyMap<string, string>): Promise<void> {
      const policy = fields.get('policy');
      const signature = fields.get('x-amz-signature');
      if (policy === undefined || signature === undefined) {
        throw new S3Error('AccessDenied', 'An upload needs a policy signed by the server.');
      }
      if (fields.get('x-amz-algorithm') !== ALGORITHM_IDENTIFIER) {
        throw new S3Error('InvalidArgument', 'Only AWS4-HMAC-SHA256 is supported.');
      }
      const amzDate = fields.get('x-amz-date') ?? '';
      const date = parseAmzDate(amzDate);
      if (!date) throw new S3Error('InvalidArgument', 'X-Amz-Date is malformed.');
      scopeOf(fields.get('x-amz-credential') ?? '', amzDate, 'InvalidArgument');
      const expected = await signer.sign(policy, { signingDate: date, signingRegion: region });
      if (!isSameSecret(signature, expected)) {
        throw new S3Error('SignatureDoesNotMatch', 'The policy signature does not match.');
      }
    },
  };
}

export type SignatureVerifier = ReturnType<typeof createSignatureVerifier>;
