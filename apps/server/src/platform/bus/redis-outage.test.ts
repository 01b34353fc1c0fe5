import { describe, expect, it } from 'bun:test';
import { testLogger } from '../../testing/logger.ts';
import { startOwnRedis } from '../../testing/own-redis.ts';
import { createRedisBus } from './redis-bus.ts';

/** Resolves on the `count`-th call of the returned callback. */
function countdown(count: number) {
  const { promise, resolve } = Promise.withResolvers<void>();
  let left = count;
  return {
    tick: () => {
      if (--left === 0) resolve();
    },
    done: promise,
  };
}

describe('the Redis bus while Redis is down', () => {
  it('delivers to its own subscribers at once, and tells them to poll until Redis is back (an outage silenced everyone)', async () => {
    await using redis = await startOwnRedis();
    const bus = createRedisBus({ url: redis.url, keyPrefix: 'outage:', logger: testLogger, outageGapEveryMs: 20 });
    const peer = createRedisBus({ url: redis.url, keyPrefix: 'outage:', logger: testLogger, outageGapEveryMs: 20 });
    const stop = new AbortController();
    try {
      const received: string[] = [];
      let onMessage = (payload: string) => void received.push(payload);
      let onGap = () => {};
      await bus.subscribe('events', { onMessage: (payload) => onMessage(payload), onGap: () => onGap() }, stop.signal);
      const first = countdown(1);
      onMessage = (payload) => {
        received.push(payload);
        first.tick();
      };
      await peer.publish('events', 'through redis');
      await first.done;

      // Several gap signals while Redis is gone: subscribers poll the log instead of hearing nothing.
      const gaps = countdown(3);
      onGap = gaps.tick;
      await redis.stop();
      await gaps.done;

      // What this process publishes reaches its own subscribers without Redis, and the publish does not wait.
      const local = countdown(1);
      onMessage = (payload) => {
        received.push(payload);
        local.tick();
      };
      await bus.publish('events', 'while redis is down');
      await local.done;
      expect(received).toEqual(['through redis', 'while redis is down']);

      // Back: one more gap (to catch up), then messages flow through Redis again.
      const back = countdown(1);
      onGap = back.tick;
      await redis.start();
      await back.done;
      const again = countdown(1);
      onMessage = (payload) => {
        received.push(payload);
        again.tick();
      };
      // From this bus, whose subscription is back (the peer's may not be yet); its publisher queues until it is.
      await bus.publish('events', 'through redis again');
      await again.done;
      expect(received.at(-1)).toBe('through redis again');
    } finally {
      stop.abort();
      await Promise.all([bus.close(), peer.close()]);
    }
  });
});
