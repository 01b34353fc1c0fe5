import type { AppErrorData, Message } from '@gopherchat/api';
import { backoffDelay } from '@gopherchat/sdk';
import type { Scheduler } from '../../lib/clock.ts';
import type { ChatApi } from './chat-deps.ts';
import type { ChatStateStore } from './chat-state.ts';
import { createOutbox } from './outbox.ts';

/**
 * Sending text messages: written here into the outbox (`createOutbox`),
 * which keeps them across reloads and sends them in order; each shows in
 * `state.outbox` until the server's copy arrives in its timeline.
 */
export function createOutboxStore(deps: {
  store: ChatStateStore;
  api: Pick<ChatApi, 'sendMessage'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Kept per person: signed out and in again, what was written still goes. */
  storageKey: string;
  clock: Scheduler;
  /** Jitter for the retry backoff. */
  random(): number;
  newId(): string;
  describe(error: unknown): AppErrorData;
  onSent(message: Message): void;
}) {
  const { setState } = deps.store;
  const outbox = createOutbox({
    storage: deps.storage,
    storageKey: deps.storageKey,
    send: (message) =>
      deps.api.sendMessage({
        conversationId: message.conversationId,
        clientMessageId: message.clientMessageId,
        content: { type: 'text', text: message.text },
        replyToSeq: message.replyToSeq,
      }),
    describe: deps.describe,
    onSent: (message) => deps.onSent(message),
    onChange: (queue) => setState('outbox', [...queue]),
    retryDelayMs: (attempt) => backoffDelay(attempt, { random: deps.random }),
    clock: deps.clock,
  });
  setState('outbox', [...outbox.queue]);

  return {
    /** Resolves once the outbox has gone as far as it can for now (see `Outbox.enqueue`). */
    send: (conversationId: string, text: string, replyToSeq?: number) =>
      outbox.enqueue({
        clientMessageId: deps.newId(),
        conversationId,
        text,
        replyToSeq,
        writtenAt: new Date(deps.clock.now()).toISOString(),
      }),
    retry: (clientMessageId: string) => outbox.retry(clientMessageId),
    discard: (clientMessageId: string) => outbox.discard(clientMessageId),
    /** Sends what waited: the connection is back. */
    kick: () => outbox.kick(),
    dispose: () => outbox.dispose(),
  };
}
