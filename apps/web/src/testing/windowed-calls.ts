import { manualWindow } from './manual-window.ts';

/**
 * A batching window that closes when the test says, and a stand-in for the
 * server calls its flushes make, each open until the test answers it. A call
 * is tied to the flush that made it, so answering it resolves only once the
 * code under test has handled the answer: no yielding to the event loop and
 * hoping.
 */
export function windowedCalls<TArgs, TResult>() {
  const batchWindow = manualWindow();
  const calls: Array<{
    args: TArgs;
    resolve: (result: TResult) => void;
    reject: (error: Error) => void;
    handled: Promise<void>;
  }> = [];
  let answered = 0;

  async function settleOldest(settle: (call: (typeof calls)[number]) => void) {
    const call = calls[answered];
    if (!call) throw new Error('No call is open.');
    answered++;
    settle(call);
    await call.handled;
  }

  return {
    schedule: batchWindow.schedule,
    isScheduled: batchWindow.isScheduled,
    /** Hand this to the code under test as the server call. */
    call: (args: TArgs) =>
      new Promise<TResult>((resolve, reject) => {
        calls.push({ args, resolve, reject, handled: Promise.resolve() });
      }),
    /** What each call was asked, oldest first. */
    made: () => calls.map((call) => call.args),
    /** Closes the window: its flush runs, and makes its calls, before this returns. */
    closeWindow() {
      const from = calls.length;
      const handled = batchWindow.close();
      for (const call of calls.slice(from)) call.handled = handled;
    },
    /** Answers the oldest open call with what `reply` makes of its arguments; resolves once that was handled. */
    answer: (reply: (args: TArgs) => TResult) => settleOldest((call) => call.resolve(reply(call.args))),
    /** Fails the oldest open call; resolves once the failure was handled. */
    fail: () => settleOldest((call) => call.reject(new Error('offline'))),
  };
}
