import type { AppErrorData } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';

/** Runs `work`; resolves to a user-readable error, or undefined on success. */
export async function attempt(
  work: () => Promise<unknown>,
  describe: (error: unknown) => AppErrorData = toAppError,
): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return describe(error).userMessage;
  }
}
