/**
 * The S3 error codes this store answers with, and their HTTP status: the
 * codes S3 itself uses for the same refusals, so the AWS SDK maps them to
 * the same errors.
 */
const STATUS_OF = {
  /** No signature, an expired one, or a POST policy the form does not keep to. */
  AccessDenied: 403,
  SignatureDoesNotMatch: 403,
  InvalidAccessKeyId: 403,
  /** A header-signed request dated more than 15 minutes from the store's clock. */
  RequestTimeTooSkewed: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  InvalidPolicyDocument: 400,
  InvalidArgument: 400,
  InvalidRequest: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  MalformedPOSTRequest: 400,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  XAmzContentSHA256Mismatch: 400,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  MethodNotAllowed: 405,
  InvalidRange: 416,
  InternalError: 500,
  /** An S3 operation or option the app does not use, so this store does not have. */
  NotImplemented: 501,
} as const satisfies Record<string, number>;

export type S3ErrorCode = keyof typeof STATUS_OF;

/** A refusal, answered as S3 answers it. Its message is ours, never text from the request. */
export class S3Error extends Error {
  readonly status: number;
  constructor(
    readonly code: S3ErrorCode,
    message: string,
    /** Headers the answer carries (e.g. Content-Range on InvalidRange). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.status = STATUS_OF[code];
  }
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`).replace(/[^\t\n\r\x20-\x7e]/g, '');

/** S3's XML error document. */
export function errorXml(error: S3Error, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${escapeXml(
    error.message,
  )}</Message><RequestId>${escapeXml(requestId)}</RequestId></Error>`;
}
