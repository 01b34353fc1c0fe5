import { describe, expect, it } from 'bun:test';
import type { Message } from '@gopherchat/api';
import type { GopherClient } from '@gopherchat/sdk';
import type { Unsubscribable } from '@trpc/server/observable';
import { registerAccount, signedInClient } from '../../testing/accounts.ts';
import { spawnCluster } from '../../testing/cluster.ts';
import { eventually } from '../../testing/collect.ts';
import type { SpawnedServer } from '../../testing/spawn-server.ts';

const MESSAGES_PER_SENDER = 60;
/** The instance goes down once its sender has had this many messages acknowledged. */
const KILL_AFTER_ACKS = 20;

const text = (value: string) => ({ type: 'text' as const, text: value });

/**
 * One person's live view: follows their events on one instance and, when
 * told to (as a load balancer would after the instance died), moves to
 * another and resumes after the last batch it received.
 */
function follower(accessToken: string) {
  const received: Message[] = [];
  let lastEventId: string | undefined;
  let client: GopherClient | undefined;
  let subscription: Unsubscribable | undefined;
  const stop = async () => {
    subscription?.unsubscribe();
    await client?.close();
  };
  return {
    received,
    async follow(server: SpawnedServer) {
      await stop();
      const current = signedInClient(server.url, accessToken);
      client = current;
      await new Promise<void>((started) => {
        subscription = current.api.events.subscribe.subscribe(lastEventId ? { lastEventId } : undefined, {
          onStarted: () => started(),
          onData: ({ id, data }) => {
            if (client !== current) return;
            for (const event of data) {
              if (event.kind === 'message' && event.message.content.type === 'text') received.push(event.message);
            }
            lastEventId = id;
          },
        });
      });
    },
    stop,
  };
}

/**
 * Sends `count` messages in order through `server`; when a send fails (the
 * instance is gone or draining) it moves to `fallback` and retries the same
 * client message id, as a real client does with its outbox.
 */
async function sendAll(options: {
  name: string;
  accessToken: string;
  conversationId: string;
  server: SpawnedServer;
  fallback: SpawnedServer;
  onAck: (message: Message) => void;
}): Promise<{ hasMoved: boolean }> {
  let client = signedInClient(options.server.url, options.accessToken);
  let hasMoved = false;
  try {
    for (let index = 0; index < MESSAGES_PER_SENDER; index++) {
      const request = {
        conversationId: options.conversationId,
        clientMessageId: `${options.name}-${index}`,
        content: text(`${options.name} #${index}`),
      };
      for (;;) {
        try {
          options.onAck(await client.api.messages.send.mutate(request));
          break;
        } catch (error) {
          if (hasMoved) throw error;
          hasMoved = true;
          await client.close();
          client = signedInClient(options.fallback.url, options.accessToken);
        }
      }
    }
  } finally {
    await client.close();
  }
  return { hasMoved };
}

describe('two server processes sharing PostgreSQL and Redis', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'after a %s of one instance its clients carry on through the other: every acknowledged message arrives once, in order',
    async (signal) => {
      await using cluster = await spawnCluster({
        label: 'failover',
        instances: 2,
        env: { SHUTDOWN_TIMEOUT_MS: '5000' },
      });
      const [doomed, survivor] = cluster.servers as [SpawnedServer, SpawnedServer];
      const tokens = await Promise.all(
        Array.from({ length: 6 }, (_, index) => registerAccount(doomed.url, `failover${index}`)),
      );
      const ids = await Promise.all(
        tokens.map(async (token) => {
          await using client = signedInClient(survivor.url, token);
          return (await client.api.auth.me.query()).id;
        }),
      );
      await using owner = signedInClient(survivor.url, tokens[0] ?? '');
      const { id: conversationId } = await owner.api.conversations.createGroup.mutate({
        title: 'Failover',
        memberIds: ids.slice(1),
      });

      // Half of the people follow the conversation through each instance.
      const followers = tokens.map((token) => follower(token));
      await Promise.all(followers.map((each, index) => each.follow(index < 3 ? doomed : survivor)));

      const acked: Message[] = [];
      let ackedOnDoomed = 0;
      let reachedKillPoint = () => {};
      const killPoint = new Promise<void>((resolve) => {
        reachedKillPoint = resolve;
      });
      const sending = Promise.all([
        sendAll({
          name: 'through-doomed',
          accessToken: tokens[1] ?? '',
          conversationId,
          server: doomed,
          fallback: survivor,
          onAck: (message) => {
            acked.push(message);
            if (++ackedOnDoomed === KILL_AFTER_ACKS) reachedKillPoint();
          },
        }),
        sendAll({
          name: 'through-survivor',
          accessToken: tokens[4] ?? '',
          conversationId,
          server: survivor,
          fallback: survivor,
          onAck: (message) => acked.push(message),
        }),
      ]);
      await Promise.race([killPoint, sending]);
      doomed.process.kill(signal);
      const exitCode = await doomed.exited;
      if (signal === 'SIGTERM') expect(exitCode).toBe(0);
      else expect(doomed.process.signalCode).toBe('SIGKILL');
      const seenBeforeTheFailure = followers.map((each) => each.received.length);
      // Its people reconnect, to the instance still up, from where they were.
      await Promise.all(followers.slice(0, 3).map((each) => each.follow(survivor)));
      const [throughDoomed] = await sending;
      expect(throughDoomed.hasMoved).toBe(true); // it was still sending when its instance went
      expect(seenBeforeTheFailure.every((count) => count >= KILL_AFTER_ACKS)).toBe(true);
      expect(acked).toHaveLength(2 * MESSAGES_PER_SENDER);

      const ackedIds = new Set(acked.map((message) => message.id));
      try {
        for (const each of followers) {
          await eventually(
            () => each.received.filter((message) => ackedIds.has(message.id)).length >= ackedIds.size,
            'every acknowledged message',
            10_000,
          );
          const receivedIds = each.received.map((message) => message.id);
          expect(new Set(receivedIds).size).toBe(receivedIds.length); // nothing twice
          expect([...ackedIds].every((id) => receivedIds.includes(id))).toBe(true); // nothing lost
          const seqs = each.received.map((message) => message.seq);
          expect(seqs.every((seq, index) => index === 0 || seq > (seqs[index - 1] ?? 0))).toBe(true); // in order
        }
      } finally {
        await Promise.all(followers.map((each) => each.stop()));
      }

      // Retries after the failure made no second copy: one message per client id.
      const history = await owner.api.messages.history.query({ conversationId, limit: 100, after: 1 });
      const more = await owner.api.messages.history.query({
        conversationId,
        limit: 100,
        after: history.messages.at(-1)?.seq ?? 1,
      });
      const stored = [...history.messages, ...more.messages];
      expect(stored).toHaveLength(2 * MESSAGES_PER_SENDER);
      expect(new Set(stored.map((message) => message.clientMessageId)).size).toBe(2 * MESSAGES_PER_SENDER);
    },
    60_000,
  );
});
