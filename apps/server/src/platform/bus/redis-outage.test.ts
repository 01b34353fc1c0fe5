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
      /** Resolves when the next message arrives (and is kept in `received`). */
      const nextMessage = () => {
        const next = countdown(1);
        onMessage = (payload) => {
          received.push(payload);
          next.tick();
        };
        return next.done;
      };
      /** Resolves on the `count`-th gap signal from now. */
      const nextGaps = (count: number) => {
        const gaps = countdown(count);
        onGap = gaps.tick;
        return gaps.done;
      };

      const first = nextMessage();
      await peer.publish('events', 'through redis');
      await first;

      // Several gap signals while Redis is gone: subscribers poll the log instead of hearing nothing.
      const gaps = nextGaps(3);
      await redis.stop();
      await gaps;

      // What this process publishes reaches its own subscribers without Redis, and the publish does not wait.
      const local = nextMessage();
      await bus.publish('events', 'while redis is down');
      await local;
      expect(received).toEqual(['through redis', 'while redis is down']);

      // Back: one more gap (to catch up), then messages flow through Redis again.
      const back = nextGaps(1);
      await redis.start();
      await back;
      const again = nextMessage();
      // From this bus, whose subscription is back (the peer's may not be yet); its publisher queues until it is.
      await bus.publish('events', 'through redis again');
      await again;
      expect(received.at(-1)).toBe('through redis again');
    } finally {
      stop.abort();
      await Promise.all([bus.close(), peer.close()]);
    }
  });
});
