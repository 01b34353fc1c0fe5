import { describe, expect, it } from 'bun:test';
import { eventually } from './testing/collect.ts';
import { startInstancePairOnOwnRedis } from './testing/instance-pair.ts';
import { clientId, eventsOf, type Person, person, text, texts } from './testing/people.ts';
import type { TestServer } from './testing/test-server.ts';

/**
 * Two instances on a Redis of this file's own, which the test kills: Redis
 * speeds delivery up, and its loss must not silence anyone.
 */
describe('two instances when Redis goes down', () => {
  it('keeps acknowledging sends and delivering them, on one instance and across (an outage silenced everyone)', async () => {
    await using pair = await startInstancePairOnOwnRedis('redis-outage');
    const { redis, one, two } = pair;
    const on = async (server: TestServer) => person(server);
    const [ada, bob, carol] = [await on(one), await on(one), await on(two)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Outage',
      memberIds: [bob.id, carol.id],
    });
    const streams = new Map<Person, ReturnType<typeof eventsOf>>(
      [ada, bob, carol].map((who) => [who, eventsOf(who)] as const),
    );
    await Promise.all([...streams.values()].map((stream) => stream.started));
    const say = (who: Person, body: string) =>
      who.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(body) });
    /** Waits until everyone has what was sent, and checks each got every message once, in order. */
    const everyoneHas = async (sent: string[]) => {
      for (const stream of streams.values()) {
        await eventually(() => texts(stream.events).length >= sent.length, sent.at(-1) ?? '');
        expect(texts(stream.events)).toEqual(sent);
      }
    };

    await say(ada, 'before');
    await everyoneHas(['before']);

    await redis.stop();
    // Acknowledged without Redis; Bob (same instance) hears at once, Carol (other instance) by polling the log.
    await say(ada, 'during, from one');
    await say(carol, 'during, from two');
    await everyoneHas(['before', 'during, from one', 'during, from two']);
    // Reads that go through the (Redis) cache fall back to PostgreSQL.
    const page = await carol.api.messages.history.query({ conversationId });
    expect(page.messages.map((message) => message.content)).toContainEqual(text('during, from two'));
    await carol.api.conversations.typing.mutate({ conversationId, isTyping: true });

    await redis.start();
    await say(bob, 'after');
    await everyoneHas(['before', 'during, from one', 'during, from two', 'after']);
    for (const stream of streams.values()) stream[Symbol.dispose]();
  });
});
