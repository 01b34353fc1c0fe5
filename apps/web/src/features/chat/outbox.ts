import type { AppErrorData, Message } from '@gopherchat/api';
import type { CancelTimer, Scheduler } from '../../lib/clock.ts';

/** A message written here and not yet acknowledged by the server. */
export interface OutgoingMessage {
  /** Chosen here; the server keeps one message per id, so sending again never makes a copy. */
  clientMessageId: string;
  conversationId: string;
  text: string;
  /** The message this one answers, if any; kept with it, so a reply sent after a reload is still a reply. */
  replyToSeq?: number;
  /** When it was written (ISO). */
  writtenAt: string;
  /** `failed`: the server refused it for good; it waits for the writer to retry or discard it. */
  state: 'pending' | 'failed';
  failure?: string;
}

/** Refusals that may go away by themselves: sending again later is worth it. */
const TRANSIENT: ReadonlySet<AppErrorData['appCode']> = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL']);

export interface OutboxDeps {
  /** Where the queue survives a reload (localStorage in the browser). */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  storageKey: string;
  send(message: OutgoingMessage): Promise<Message>;
  /** The typed error behind a failed send. */
  describe(error: unknown): AppErrorData;
  onSent(message: Message, outgoing: OutgoingMessage): void;
  onChange(queue: readonly OutgoingMessage[]): void;
  /** Wait before the next attempt after `attempt` transient failures in a row. */
  retryDelayMs(attempt: number): number;
  /** Where the wait before a retry is timed. */
  clock: Pick<Scheduler, 'setTimer'>;
}

/**
 * Messages on their way out, kept in storage until the server acknowledges
 * them, and sent one at a time in the order they were written. A transient
 * failure (offline, server restarting) stops the queue and tries again later
 * or at `kick()` (back online, reconnected); a refusal marks that message
 * failed and the queue moves on. Because every message keeps its client id,
 * a send that reached the server before a reload or a lost acknowledgement
 * is answered with the original, never a second copy.
 */
export function createOutbox(deps: OutboxDeps) {
  let queue: OutgoingMessage[] = load();
  let isDraining = false;
  /** The drain under way, or the last one: what `enqueue`, `retry` and `kick` resolve with. */
  let drained: Promise<void> = Promise.resolve();
  let cancelRetry: CancelTimer | undefined;
  let failuresInARow = 0;

  function load(): OutgoingMessage[] {
    try {
      const stored = JSON.parse(deps.storage.getItem(deps.storageKey) ?? '[]') as unknown;
      return Array.isArray(stored) ? (stored as OutgoingMessage[]) : [];
    } catch {
      return [];
    }
  }

  function save() {
    if (queue.length === 0) deps.storage.removeItem(deps.storageKey);
    else deps.storage.setItem(deps.storageKey, JSON.stringify(queue));
    deps.onChange(queue);
  }

  function update(clientMessageId: string, change: (message: OutgoingMessage) => OutgoingMessage | undefined) {
    queue = queue.flatMap((message) => {
      if (message.clientMessageId !== clientMessageId) return [message];
      const changed = change(message);
      return changed ? [changed] : [];
    });
    save();
  }

  /**
   * Sends what is pending, unless a drain is already under way. Resolves once
   * the queue has gone as far as it can for now: empty but for failed
   * messages, or stopped to retry later.
   */
  function drain(): Promise<void> {
    if (isDraining) return drained;
    // Set before the first send is awaited and cleared with the last check for more: nothing falls in between.
    isDraining = true;
    drained = sendPending();
    return drained;
  }

  async function sendPending() {
    cancelRetry?.();
    try {
      for (let next = queue.find((m) => m.state === 'pending'); next; next = queue.find((m) => m.state === 'pending')) {
        const outgoing = next;
        try {
          const sent = await deps.send(outgoing);
          failuresInARow = 0;
          update(outgoing.clientMessageId, () => undefined);
          deps.onSent(sent, outgoing);
        } catch (error) {
          const { appCode, userMessage } = deps.describe(error);
          if (TRANSIENT.has(appCode)) {
            cancelRetry = deps.clock.setTimer(deps.retryDelayMs(failuresInARow++), drain);
            return;
          }
          update(outgoing.clientMessageId, (message) => ({ ...message, state: 'failed', failure: userMessage }));
        }
      }
    } finally {
      isDraining = false;
    }
  }

  return {
    /** What waits to be sent, in order (failed ones included). */
    get queue(): readonly OutgoingMessage[] {
      return queue;
    },
    /** Puts a message in line; resolves as `drain` does. */
    enqueue(message: Omit<OutgoingMessage, 'state'>): Promise<void> {
      queue = [...queue, { ...message, state: 'pending' }];
      save();
      return drain();
    },
    /** Puts a failed message back in line; resolves as `drain` does. */
    retry(clientMessageId: string): Promise<void> {
      update(clientMessageId, ({ failure: _, ...message }) => ({ ...message, state: 'pending' }));
      return drain();
    },
    discard(clientMessageId: string) {
      update(clientMessageId, () => undefined);
    },
    /** Tries again now: the network or the connection came back. Resolves as `drain` does. */
    kick(): Promise<void> {
      failuresInARow = 0;
      return drain();
    },
    dispose() {
      cancelRetry?.();
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
