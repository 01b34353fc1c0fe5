import type { Clock } from '../../clock/index.ts';
import { formDataBoundary, MultipartReader } from './multipart.ts';
import type { ObjectFiles } from './object-files.ts';
import { checkPolicy } from './post-policy.ts';
import { errorXml, S3Error } from './s3-error.ts';
import type { SignatureVerifier } from './signature.ts';

/** S3 refuses longer request targets too (a key is at most 1 KB). */
const MAX_URL_LENGTH = 8 * 1024;
const MAX_QUERY_PARAMETERS = 32;
const MAX_KEY_BYTES = 1024;
/** A browser upload's fields (all but the file): a policy is at most 20 KB, base64 a third more. */
const MAX_FORM_FIELDS = 16;
const MAX_FIELD_BYTES = 28 * 1024;
const MAX_FORM_FIELD_BYTES = 64 * 1024;
/** The fields of the grants the app hands out (s3-blob-store.ts); others are refused, never ignored. */
const FORM_FIELDS = new Set([
  'key',
  'content-type',
  'bucket',
  'policy',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-signature',
]);
/** GET and HEAD may override these answer headers, in the signed query. */
const RESPONSE_OVERRIDES = new Set(['response-content-type', 'response-content-disposition']);
const CORS_METHODS = ['GET', 'HEAD', 'POST'];
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** Pages on the machine itself, on any port: the dev server, the app. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;
const TOKEN_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
/** Upload options of S3 this store does not have: refused rather than silently not done. */
const UNSUPPORTED_UPLOAD_HEADERS = [
  'x-amz-decoded-content-length',
  'x-amz-copy-source-range',
  'x-amz-copy-source-if-match',
  'x-amz-copy-source-if-none-match',
  'x-amz-copy-source-if-modified-since',
  'x-amz-copy-source-if-unmodified-since',
];

const randomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex');

function decode(text: string, message: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidURI', message);
  }
}

/** The request target's path (as sent, percent-encoded) and query (Bun gives the URL with its origin). */
function splitTarget(url: string): { rawPath: string; rawQuery: string } {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const target = start < 0 ? '/' : url.slice(start);
  const question = target.indexOf('?');
  return question < 0
    ? { rawPath: target, rawQuery: '' }
    : { rawPath: target.slice(0, question), rawQuery: target.slice(question + 1) };
}

function parseQuery(rawQuery: string): [string, string][] {
  const parameters = rawQuery.split('&').filter((part) => part !== '');
  if (parameters.length > MAX_QUERY_PARAMETERS) throw new S3Error('InvalidArgument', 'Too many query parameters.');
  return parameters.map((part) => {
    const equals = part.indexOf('=');
    const name = decode(equals < 0 ? part : part.slice(0, equals), 'A query parameter is malformed.');
    return [name, equals < 0 ? '' : decode(part.slice(equals + 1), 'A query parameter is malformed.')];
  });
}

/** Path-style addressing only (/bucket/key), as the app configures its client. */
function parsePath(rawPath: string): { bucket: string; key: string } {
  const slash = rawPath.indexOf('/', 1);
  const bucket = decode(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash), 'The bucket name is malformed.');
  const key = slash < 0 ? '' : decode(rawPath.slice(slash + 1), 'The key is malformed.');
  return { bucket, key };
}

/** A key the store takes: bounded, printable, and not climbing anywhere (even though it never becomes a path). */
function checkKey(key: string) {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'The key is longer than 1 KB.');
  if (key === '' || /\p{Cc}/u.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
    throw new S3Error('InvalidArgument', 'The key is not one this store takes.');
  }
}

/** A header value the store stores or sends back: printable ASCII, bounded. */
function headerValue(value: string, what: string): string {
  if (!/^[\x20-\x7e]{1,1024}$/.test(value))
    throw new S3Error('InvalidArgument', `The ${what} is not a valid header value.`);
  return value;
}

type ByteRange = { start: number; end: number };

/**
 * A Range header's one range (RFC 9110). Anything else (several ranges, not
 * bytes, malformed) is ignored and the whole object sent, as S3 does.
 */
function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') {
    if (last === '') return undefined;
    const length = Number(last);
    return length === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return end < start ? undefined : { start, end };
}

async function* bodyOf(request: Request): AsyncGenerator<Uint8Array> {
  if (!request.body) return;
  try {
    for await (const chunk of request.body) yield chunk;
  } catch {
    throw new S3Error('IncompleteBody', 'The body was cut off.');
  }
}

/**
 * The embedded store's HTTP entry: the subset of S3 the app uses through
 * the AWS SDK and the browser, and nothing else. PutObject, GetObject (with
 * a Range, and response-* overrides, which the signature covers),
 * HeadObject, DeleteObject and CopyObject need a SigV4 signature with the
 * store's key; a browser's POST upload needs a policy signed with it and
 * must keep to it. Every other request gets S3's XML error. Every answer
 * says nosniff and forbids scripts (CSP sandbox); allowed origins (loopback
 * pages and the configured ones) get CORS headers.
 */
export function createLocalStoreHandler(deps: {
  bucket: string;
  files: ObjectFiles;
  verifier: SignatureVerifier;
  clock: Clock;
  allowedOrigins: string[];
  /** The most a PUT or an upload may carry, whatever it was signed for. */
  maxObjectBytes: number;
}) {
  const { bucket, files, verifier, clock, maxObjectBytes } = deps;
  const isAllowedOrigin = (origin: string) => deps.allowedOrigins.includes(origin) || LOOPBACK_ORIGIN.test(origin);

  function preflight(request: Request): Response {
    const origin = request.headers.get('origin');
    const method = request.headers.get('access-control-request-method');
    if (!origin || !method) {
      throw new S3Error('InvalidRequest', 'A CORS preflight needs Origin and Access-Control-Request-Method.');
    }
    const requested = (request.headers.get('access-control-request-headers') ?? '').trim();
    if (
      !isAllowedOrigin(origin) ||
      !CORS_METHODS.includes(method) ||
      requested.length > 1024 ||
      (requested !== '' && !TOKEN_LIST.test(requested))
    ) {
      throw new S3Error('AccessDenied', 'CORSResponse: This CORS request is not allowed.');
    }
    const headers = new Headers({
      'access-control-allow-methods': CORS_METHODS.join(', '),
      'access-control-max-age': '3000',
      vary: 'Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    if (requested !== '') headers.set('access-control-allow-headers', requested.toLowerCase());
    return new Response(null, { status: 200, headers });
  }

  async function getObject(request: Request, key: string, query: [string, string][], isHead: boolean) {
    const object = await files.head(key);
    if (!object) throw new S3Error('NoSuchKey', 'The specified key does not exist.');
    const override = (name: string) => {
      const values = query.filter(([parameter]) => parameter === name);
      if (values.length > 1) throw new S3Error('InvalidArgument', 'An answer header is overridden twice.');
      return values[0] && headerValue(values[0][1], name);
    };
    const headers = new Headers({
      'content-type': override('response-content-type') ?? object.contentType,
      etag: `"${object.etag}"`,
      'last-modified': new Date(object.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
    });
    const disposition = override('response-content-disposition');
    if (disposition) headers.set('content-disposition', disposition);
    const range = parseRange(request.headers.get('range'), object.byteSize);
    if (range === 'unsatisfiable') {
      throw new S3Error('InvalidRange', 'The requested range is not satisfiable.', {
        'content-range': `bytes */${object.byteSize}`,
      });
    }
    const bytes = files.bytes(object);
    if (!range) {
      headers.set('content-length', String(object.byteSize));
      return new Response(isHead ? null : bytes, { status: 200, headers });
    }
    headers.set('content-range', `bytes ${range.start}-${range.end}/${object.byteSize}`);
    headers.set('content-length', String(range.end - range.start + 1));
    return new Response(isHead ? null : bytes.slice(range.start, range.end + 1), { status: 206, headers });
  }

  function refuseUnsupportedUpload(headers: Headers) {
    const directive = headers.get('x-amz-metadata-directive');
    if (
      UNSUPPORTED_UPLOAD_HEADERS.some((name) => headers.has(name)) ||
      (headers.get('content-encoding') ?? '').includes('aws-chunked') ||
      (directive !== null && directive !== 'COPY')
    ) {
      throw new S3Error('NotImplemented', 'That upload option is not supported by this store.');
    }
  }

  async function putObject(request: Request, key: string, payloadSha256: string | undefined) {
    const length = request.headers.get('content-length');
    if (length === null) throw new S3Error('MissingContentLength', 'A PUT needs a Content-Length.');
    if (!/^\d{1,15}$/.test(length)) throw new S3Error('InvalidArgument', 'The Content-Length is malformed.');
    if (Number(length) > maxObjectBytes) throw new S3Error('EntityTooLarge', 'The object is larger than allowed.');
    const contentType = headerValue(request.headers.get('content-type') ?? DEFAULT_CONTENT_TYPE, 'Content-Type');
    const object = await files.write(key, bodyOf(request), contentType, {
      minBytes: Number(length),
      maxBytes: Number(length),
      sha256: payloadSha256,
    });
    return new Response(null, { status: 200, headers: { etag: `"${object.etag}"` } });
  }

  async function copyObject(request: Request, key: string) {
    const header = request.headers.get('x-amz-copy-source') ?? '';
    if (header.includes('?')) throw new S3Error('NotImplemented', 'Versions are not supported by this store.');
    const source = decode(header, 'The copy source is malformed.').replace(/^\//, '');
    const slash = source.indexOf('/');
    if (slash <= 0) throw new S3Error('InvalidArgument', 'The copy source is not bucket/key.');
    if (source.slice(0, slash) !== bucket) throw new S3Error('NoSuchBucket', 'The source bucket does not exist.');
    const sourceKey = source.slice(slash + 1);
    checkKey(sourceKey);
    const object = await files.copy(sourceKey, key);
    if (!object) throw new S3Error('NoSuchKey', 'The specified key does not exist.');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><LastModified>${new Date(
      object.lastModified,
    ).toISOString()}</LastModified><ETag>&quot;${object.etag}&quot;</ETag></CopyObjectResult>`;
    return new Response(body, { status: 200, headers: { 'content-type': 'application/xml' } });
  }

  /**
   * A browser's upload: the form's fields come first and are checked
   * against the signed policy before any of the file is taken; the file
   * goes to disk as it arrives, refused once it passes the policy's size.
   */
  async function postObject(request: Request) {
    const boundary = formDataBoundary(request.headers.get('content-type'));
    if (!boundary || !request.body) throw new S3Error('MalformedPOSTRequest', 'An upload must be multipart/form-data.');
    const length = request.headers.get('content-length');
    if (length !== null && (!/^\d{1,15}$/.test(length) || Number(length) > maxObjectBytes + MAX_FORM_FIELD_BYTES)) {
      throw new S3Error('EntityTooLarge', 'The upload is larger than allowed.');
    }
    const form = new MultipartReader(request.body, boundary);
    try {
      const fields = new Map<string, string>();
      let fieldBytes = 0;
      for (;;) {
        const part = await form.nextPart();
        if (!part) throw new S3Error('MalformedPOSTRequest', 'An upload needs a file field, last.');
        const name = part.name.toLowerCase();
        if (name === 'file') break;
        if (fields.has(name) || fields.size >= MAX_FORM_FIELDS) {
          throw new S3Error('InvalidArgument', 'A form field is repeated, or there are too many.');
        }
        const value = await form.partText(MAX_FIELD_BYTES);
        fieldBytes += value.length;
        if (fieldBytes > MAX_FORM_FIELD_BYTES) throw new S3Error('MalformedPOSTRequest', 'The form is too large.');
        fields.set(name, value);
      }
      await verifier.verifyPolicySignature(fields);
      const sizes = checkPolicy(fields.get('policy') ?? '', fields, {
        bucket,
        now: clock.now(),
        maxBytes: maxObjectBytes,
      });
      for (const name of fields.keys()) {
        if (!FORM_FIELDS.has(name) && !name.startsWith('x-ignore-')) {
          throw new S3Error('NotImplemented', 'A form field of the upload is not supported by this store.');
        }
      }
      const key = fields.get('key');
      if (key === undefined) throw new S3Error('InvalidArgument', 'An upload needs a key.');
      checkKey(key);
      const contentType = headerValue(fields.get('content-type') ?? DEFAULT_CONTENT_TYPE, 'Content-Type');
      const object = await files.write(key, form.partBody(), contentType, { ...sizes, sha256: undefined });
      return new Response(null, { status: 204, headers: { etag: `"${object.etag}"` } });
    } finally {
      // What follows the file (the closing boundary, fields S3 ignores) is not read.
      await form.cancel();
    }
  }

  async function route(request: Request): Promise<Response> {
    if (request.url.length > MAX_URL_LENGTH) throw new S3Error('InvalidURI', 'The URL is too long.');
    const { rawPath, rawQuery } = splitTarget(request.url);
    const query = parseQuery(rawQuery);
    const target = parsePath(rawPath);
    const { method } = request;
    if (method === 'OPTIONS') return preflight(request);
    // A browser's upload carries its signature in the form (the policy), not in the request.
    if (method === 'POST' && target.key === '' && query.length === 0 && !request.headers.has('authorization')) {
      if (target.bucket !== bucket) throw new S3Error('NoSuchBucket', 'The bucket does not exist.');
      return postObject(request);
    }

    const { payloadSha256 } = await verifier.verifyRequest({ method, rawPath, query, headers: request.headers });
    if (target.bucket === '') throw new S3Error('NotImplemented', 'Listing buckets is not supported by this store.');
    if (target.bucket !== bucket) throw new S3Error('NoSuchBucket', 'The bucket does not exist.');
    if (target.key === '') throw new S3Error('NotImplemented', 'Bucket operations are not supported by this store.');
    checkKey(target.key);
    const isRead = method === 'GET' || method === 'HEAD';
    for (const [name] of query) {
      // X-Amz-*: the signature's own parameters; x-id: the SDK's name of the operation.
      if (/^x-amz-/i.test(name) || name === 'x-id' || (isRead && RESPONSE_OVERRIDES.has(name))) continue;
      throw new S3Error('NotImplemented', 'That operation or option is not supported by this store.');
    }
    switch (method) {
      case 'GET':
      case 'HEAD':
        return getObject(request, target.key, query, method === 'HEAD');
      case 'PUT':
        refuseUnsupportedUpload(request.headers);
        return request.headers.has('x-amz-copy-source')
          ? copyObject(request, target.key)
          : putObject(request, target.key, payloadSha256);
      case 'DELETE':
        await files.delete(target.key);
        return new Response(null, { status: 204 });
      default:
        throw new S3Error('MethodNotAllowed', 'The method is not allowed on an object.');
    }
  }

  /** What every answer carries: the store's time, the request's id, nosniff, no scripts, and CORS for allowed origins. */
  function finish(response: Response, request: Request, requestId: string): Response {
    // By the clock signatures are checked against: the SDK corrects its own skew by it.
    response.headers.set('date', new Date(clock.now()).toUTCString());
    response.headers.set('x-amz-request-id', requestId);
    response.headers.set('x-content-type-options', 'nosniff');
    // Should a file ever be opened as a page of the store's origin, it runs nothing there.
    response.headers.set('content-security-policy', 'sandbox');
    const origin = request.headers.get('origin');
    response.headers.append('vary', 'Origin');
    if (origin && isAllowedOrigin(origin)) {
      response.headers.set('access-control-allow-origin', origin);
      response.headers.set('access-control-expose-headers', 'ETag, Content-Range, Content-Length, Accept-Ranges');
    }
    return response;
  }

  return {
    async handle(request: Request): Promise<Response> {
      const requestId = randomId();
      let response: Response;
      try {
        response = await route(request);
      } catch (error) {
        response = errorResponse(
          error instanceof S3Error ? error : internalError(error),
          requestId,
          request.method === 'HEAD',
        );
      }
      return finish(response, request, requestId);
    },

    /** For failures past the handler (e.g. a file deleted while it was being sent). */
    failed(error: unknown): Response {
      return errorResponse(internalError(error), randomId(), false);
    },
  };
}

function internalError(error: unknown): S3Error {
  console.error('local object store: internal error', error);
  return new S3Error('InternalError', 'We encountered an internal error. Please try again.');
}

function errorResponse(error: S3Error, requestId: string, isHead: boolean): Response {
  const headers = new Headers(error.headers);
  headers.set('content-type', 'application/xml');
  headers.set('x-content-type-options', 'nosniff');
  return new Response(isHead ? null : errorXml(error, requestId), { status: error.status, headers });
}
