/** How far this client has got in one conversation. */
export interface Pointer {
  conversationId: string;
  seq: number;
}

export interface PointerReporterDeps {
  /** Tells the server; rejects if it did not hear. */
  send(pointers: Pointer[]): Promise<void>;
  /** Calls `flush` once the batching window has passed; `flush` resolves once its call was answered. */
  schedule(flush: () => Promise<void>): void;
}

/**
 * Reports one kind of pointer (delivered, or read) to the server in batches:
 * whatever is noted within one window goes in one call carrying the furthest
 * seq per conversation, and only where that is beyond what the server is
 * known to have. One call at a time, so a burst never races itself. A failed
 * call's pointers wait for the next batch (any later note, or `retry()`): the
 * server only ever moves pointers forward, so sending one twice is harmless.
 */
export function createPointerReporter(deps: PointerReporterDeps) {
  const acknowledged = new Map<string, number>();
  let waiting = new Map<string, number>();
  let sending: Map<string, number> | undefined;
  let isScheduled = false;

  const isKnown = (conversationId: string, seq: number) =>
    seq <= (acknowledged.get(conversationId) ?? 0) ||
    seq <= (waiting.get(conversationId) ?? 0) ||
    seq <= (sending?.get(conversationId) ?? 0);

  function acknowledge(conversationId: string, seq: number) {
    if (seq > (acknowledged.get(conversationId) ?? 0)) acknowledged.set(conversationId, seq);
  }

  function scheduleFlush() {
    if (isScheduled || sending || waiting.size === 0) return;
    isScheduled = true;
    deps.schedule(() => {
      isScheduled = false;
      return flush();
    });
  }

  async function flush() {
    const batch = new Map(
      [...waiting].filter(([conversationId, seq]) => seq > (acknowledged.get(conversationId) ?? 0)),
    );
    waiting = new Map();
    if (batch.size === 0) return;
    sending = batch;
    let isHeard = false;
    try {
      await deps.send([...batch].map(([conversationId, seq]) => ({ conversationId, seq })));
      isHeard = true;
      for (const [conversationId, seq] of batch) acknowledge(conversationId, seq);
    } catch {
      for (const [conversationId, seq] of batch) {
        if (seq > (waiting.get(conversationId) ?? 0)) waiting.set(conversationId, seq);
      }
    } finally {
      sending = undefined;
    }
    // What was noted while this call was out goes next; a failure waits for the next note instead of hammering.
    if (isHeard) scheduleFlush();
  }

  return {
    /** This client has got to `seq` in the conversation. */
    note(conversationId: string, seq: number) {
      if (!isKnown(conversationId, seq)) waiting.set(conversationId, seq);
      scheduleFlush();
    },
    /** The server is known to have this pointer (its own event said so, or it was moved by a send). */
    acknowledge,
    /** Tries what failed again now: the connection came back. */
    retry: scheduleFlush,
  };
}

export type PointerReporter = ReturnType<typeof createPointerReporter>;
