import type { Message, UserEvent } from '@gopherchat/api';
import { backoffDelay, createGopherClient, type GopherClient, subscribeLive, toAppError } from '@gopherchat/sdk';
import { registerAccount } from '@gopherchat/server/testing';

/** What the web app's outbox retries (apps/web/src/features/chat/outbox.ts): everything else fails the message. */
const TRANSIENT = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL']);

/** One message's life as its sender and its room saw it (ms since the run began). */
export interface Sent {
  clientMessageId: string;
  conversationId: string;
  enqueuedAt: number;
  ackedAt?: number;
  seq?: number;
  /** When each member (its sender included) received it, by member index. */
  receivedAt: Map<number, number>;
}

export interface Member {
  index: number;
  userId: string;
  client: GopherClient;
  conversationId: string;
  /** Every message event received, in arrival order: the verdict checks these. */
  received: Message[];
  /** Messages waiting to be acknowledged, oldest first, sent one at a time like the web app's outbox. */
  outbox: Sent[];
  failures: string[];
}

/**
 * Clients through the balancer, in rooms: each member subscribes to its
 * events the way the web app does (resubscribing from its last event id
 * after an error that may pass) and sends through an outbox with the web
 * app's retry rule (the same client message id after a transient error,
 * with backoff; at once when the stream starts again).
 */
export async function startTraffic(options: { url: URL; clients: number; roomSize: number; now: () => number }) {
  const members: Member[] = [];
  const sentById = new Map<string, Sent>();
  const accounts = await Promise.all(
    Array.from({ length: options.clients }, async (_, index) => {
      const accessToken = await registerAccount(options.url, `chaos${index}x${Date.now().toString(36)}`);
      const client = createGopherClient({ url: options.url, accessToken: () => accessToken });
      const me = await client.api.auth.me.query();
      return { client, userId: me.id };
    }),
  );
  for (let first = 0; first < accounts.length; first += options.roomSize) {
    const room = accounts.slice(first, first + options.roomSize);
    const [owner, ...others] = room;
    if (!owner) continue;
    const { id: conversationId } = await owner.client.api.conversations.createGroup.mutate({
      title: `Chaos ${first / options.roomSize}`,
      memberIds: others.map((other) => other.userId),
    });
    room.forEach(({ client, userId }, offset) => {
      members.push({
        index: first + offset,
        userId,
        client,
        conversationId,
        received: [],
        outbox: [],
        failures: [],
      });
    });
  }

  const kicks = new Map<Member, () => void>();
  const started = members.map(
    (member) =>
      new Promise<void>((resolve) => {
        subscribeLive(member.client.api.events.subscribe.subscribe, undefined, {
          onStarted: () => {
            resolve();
            kicks.get(member)?.();
          },
          onData: ({ data }: { data: UserEvent[] }) => {
            for (const event of data) {
              if (event.kind !== 'message') continue;
              member.received.push(event.message);
              const sent = event.message.clientMessageId && sentById.get(event.message.clientMessageId);
              if (sent && !sent.receivedAt.has(member.index)) sent.receivedAt.set(member.index, options.now());
            }
          },
          onError: (error) => member.failures.push(`stream stopped: ${error.appCode} ${error.userMessage}`),
        });
      }),
  );
  await Promise.all(started);

  let isStopped = false;
  const drains = new Set<Promise<void>>();
  for (const member of members) {
    let isDraining = false;
    let failuresInARow = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const drain = async () => {
      if (isDraining || isStopped) return;
      isDraining = true;
      clearTimeout(retryTimer);
      try {
        for (let next = member.outbox[0]; next && !isStopped; next = member.outbox[0]) {
          try {
            const message = await member.client.api.messages.send.mutate({
              conversationId: next.conversationId,
              clientMessageId: next.clientMessageId,
              content: { type: 'text', text: next.clientMessageId },
            });
            failuresInARow = 0;
            next.ackedAt = options.now();
            next.seq = message.seq;
            member.outbox.shift();
          } catch (error) {
            const { appCode, userMessage } = toAppError(error);
            if (!TRANSIENT.has(appCode)) {
              member.failures.push(`${next.clientMessageId} refused: ${appCode} ${userMessage}`);
              member.outbox.shift();
              continue;
            }
            retryTimer = setTimeout(() => void drain(), backoffDelay(failuresInARow++));
            return;
          }
        }
      } finally {
        isDraining = false;
      }
    };
    kicks.set(member, () => {
      failuresInARow = 0;
      const draining = drain();
      drains.add(draining);
      void draining.finally(() => drains.delete(draining));
    });
  }

  let sequence = 0;
  return {
    members,
    sent: sentById,
    /** Queues one message from `member` and starts its outbox. */
    send(member: Member) {
      const sent: Sent = {
        clientMessageId: `m${member.index}-${sequence++}`,
        conversationId: member.conversationId,
        enqueuedAt: options.now(),
        receivedAt: new Map(),
      };
      sentById.set(sent.clientMessageId, sent);
      member.outbox.push(sent);
      if (member.outbox.length === 1) kicks.get(member)?.();
    },
    /** Messages not yet acknowledged, across every outbox. */
    pending: () => members.reduce((sum, member) => sum + member.outbox.length, 0),
    async close() {
      isStopped = true;
      await Promise.all(members.map((member) => member.client.close()));
    },
  };
}

export type Traffic = Awaited<ReturnType<typeof startTraffic>>;
