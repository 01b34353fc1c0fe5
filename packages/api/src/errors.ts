/**
 * The closed list of application error codes. Every error a client can see
 * carries one of these in `error.data.appCode`, plus a `userMessage` that is
 * safe to show as is.
 */
export const APP_ERROR_CODES = [
  /** The input failed validation; `userMessage` names the first problem. */
  'INVALID_INPUT',
  /** The thing asked for does not exist (or is not visible to the caller). */
  'NOT_FOUND',
  /** The caller is not signed in, or the credentials are no longer valid. */
  'UNAUTHENTICATED',
  /** The caller is signed in but may not do this. */
  'FORBIDDEN',
  /** The request conflicts with the current state (e.g. a duplicate). */
  'CONFLICT',
  /** Too many requests; retry later. */
  'RATE_LIMITED',
  /** The server is shutting down or a dependency is down; retry shortly. */
  'UNAVAILABLE',
  /** A bug or an unexpected failure; details are in the server log only. */
  'INTERNAL',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** What the server adds to every tRPC error's `data`. */
export interface AppErrorData {
  appCode: AppErrorCode;
  userMessage: string;
  requestId?: string;
}

export function isAppErrorCode(value: unknown): value is AppErrorCode {
  return typeof value === 'string' && (APP_ERROR_CODES as readonly string[]).includes(value);
}
