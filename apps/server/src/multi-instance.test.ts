import { describe, expect, it } from 'bun:test';
import { collect } from './testing/collect.ts';
import { startTestServer } from './testing/test-server.ts';

describe('several instances bridged by Redis', () => {
  it('delivers a post made on one instance to a subscriber on another, in order', async () => {
    await using a = await startTestServer({ label: 'multi', database: 'postgres', bus: 'redis' });
    await using b = await startTestServer({
      label: 'multi',
      database: 'postgres',
      bus: 'redis',
      shared: { databaseUrl: a.databaseUrl, redisKeyPrefix: a.redisKeyPrefix },
    });
    expect(a.server.app.instanceId).not.toBe(b.server.app.instanceId);
    // The first account is the server's admin, the one who may post.
    const poster = await a.signUp();
    const subscriber = await b.signUp();
    using onB = collect<{ id: string; data: { text: string } }>((handlers) =>
      subscriber.api.announcements.stream.subscribe(undefined, handlers),
    );
    await onB.started;
    const texts = Array.from({ length: 10 }, (_, index) => `from A #${index}`);
    for (const text of texts) await poster.api.announcements.post.mutate({ text });
    await onB.waitFor(texts.length);
    expect(onB.events.map((event) => event.data.text)).toEqual(texts);
  });
});
