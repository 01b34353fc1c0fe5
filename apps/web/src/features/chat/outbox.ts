import type { AppErrorData, Message } from '@gopherchat/api';

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
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
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

  async function drain() {
    if (isDraining) return;
    isDraining = true;
    clearTimeout(retryTimer);
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
            retryTimer = setTimeout(() => void drain(), deps.retryDelayMs(failuresInARow++));
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
    enqueue(message: Omit<OutgoingMessage, 'state'>) {
      queue = [...queue, { ...message, state: 'pending' }];
      save();
      void drain();
    },
    /** Puts a failed message back in line. */
    retry(clientMessageId: string) {
      update(clientMessageId, ({ failure: _, ...message }) => ({ ...message, state: 'pending' }));
      void drain();
    },
    discard(clientMessageId: string) {
      update(clientMessageId, () => undefined);
    },
    /** Tries again now: the network or the connection came back. */
    kick() {
      failuresInARow = 0;
      void drain();
    },
    dispose() {
      clearTimeout(retryTimer);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
