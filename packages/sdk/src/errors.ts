import { type AppErrorData, isAppErrorCode } from '@gopherchat/api';
import { TRPCClientError } from '@trpc/client';

const FALLBACK: AppErrorData = {
  appCode: 'UNAVAILABLE',
  userMessage: 'Cannot reach GopherChat right now. Check your connection and try again.',
};

/**
 * The application error behind anything a call threw: the server's typed
 * code and user-readable message, or UNAVAILABLE when the server could not be
 * reached at all.
 */
export function toAppError(error: unknown): AppErrorData {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? undefined) as Partial<AppErrorData> | undefined;
    if (data && isAppErrorCode(data.appCode) && typeof data.userMessage === 'string') {
      return { appCode: data.appCode, userMessage: data.userMessage, requestId: data.requestId };
    }
  }
  return FALLBACK;
}
