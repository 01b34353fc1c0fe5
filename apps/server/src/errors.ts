import type { AppErrorCode } from '@gopherchat/api';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/**
 * The one error type services throw for expected failures. `userMessage` is
 * shown to people as is; `cause` stays in the server log.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
}

/** How each application error travels over tRPC (and so which HTTP status it gets). */
export const TRPC_CODE_BY_APP_CODE = {
  INVALID_INPUT: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<AppErrorCode, TRPC_ERROR_CODE_KEY>;

/** The reverse, for errors tRPC raises itself (bad JSON, unknown procedure, ...). */
export function appCodeForTrpcCode(code: TRPC_ERROR_CODE_KEY): AppErrorCode {
  switch (code) {
    case 'BAD_REQUEST':
    case 'PARSE_ERROR':
    case 'UNPROCESSABLE_CONTENT':
    case 'PAYLOAD_TOO_LARGE':
    case 'METHOD_NOT_SUPPORTED':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'INVALID_INPUT';
    case 'NOT_FOUND':
    case 'NOT_IMPLEMENTED':
      return 'NOT_FOUND';
    case 'UNAUTHORIZED':
      return 'UNAUTHENTICATED';
    case 'FORBIDDEN':
    case 'PRECONDITION_FAILED':
      return 'FORBIDDEN';
    case 'CONFLICT':
      return 'CONFLICT';
    case 'TOO_MANY_REQUESTS':
      return 'RATE_LIMITED';
    case 'SERVICE_UNAVAILABLE':
    case 'TIMEOUT':
    case 'CLIENT_CLOSED_REQUEST':
    case 'BAD_GATEWAY':
    case 'GATEWAY_TIMEOUT':
      return 'UNAVAILABLE';
    default:
      return 'INTERNAL';
  }
}
