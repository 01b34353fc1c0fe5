import { describe, expect, it } from 'bun:test';
import { testLogger } from '../../testing/logger.ts';
import { startOwnRedis } from '../../testing/own-redis.ts';
import type { Bus } from './bus.ts';
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

/** Subscribes to `events` on `bus`, keeping every message, with a way to await the next message or gaps. */
async function listen(bus: Bus, signal: AbortSignal) {
  const received: string[] = [];
  let onMessage = (payload: string) => void received.push(payload);
  let onGap = () => {};
  await bus.subscribe('events', { onMessage: (payload) => onMessage(payload), onGap: () => onGap() }, signal);
  return {
    received,
    /** Resolves when the next message arrives (and is kept in `received`). */
    nextMessage() {
      const next = countdown(1);
      onMessage = (payload) => {
        received.push(payload);
        next.tick();
      };
      return next.done;
    },
    /** Resolves on the `count`-th gap signal from now. */
    nextGaps(count: number) {
      const gaps = countdown(count);
      onGap = gaps.tick;
      return gaps.done;
    },
  };
}

/** Resolves when `bus` next enters (true) or leaves (false) outage mode. */
function nextOutage(bus: Bus, isInOutage: boolean) {
  const { promise, resolve } = Promise.withResolvers<void>();
  const stop = bus.watchOutage?.((now) => {
    if (now !== isInOutage) return;
    stop?.();
    resolve();
  });
  return promise;
}

/**
 * A bus listening on `events` and a peer on the same Redis, as two instances
 * would be, once a message from the peer has reached the bus through Redis.
 */
async function connectedPair(options: Parameters<typeof createRedisBus>[0]) {
  const bus = createRedisBus(options);
  const peer = createRedisBus(options);
  const stop = new AbortController();
  const listener = await listen(bus, stop.signal);
  const first = listener.nextMessage();
  await peer.publish('events', 'through redis');
  await first;
  return {
    bus,
    peer,
    ...listener,
    async [Symbol.asyncDispose]() {
      stop.abort();
      await Promise.all([bus.close(), peer.close()]);
    },
  };
}

describe('the Redis bus while Redis is down', () => {
  it('delivers to its own subscribers at once, and tells them to poll until Redis is back (an outage silenced everyone)', async () => {
    await using redis = await startOwnRedis();
    await using pair = await connectedPair({
      url: redis.url,
      keyPrefix: 'outage:',
      logger: testLogger,
      outageGapEveryMs: 20,
    });
    const { bus, received, nextMessage, nextGaps } = pair;

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
  });

  it('notices a paused Redis, which errs nothing, and uses it again once it answers (a pause silenced instances)', async () => {
    await using redis = await startOwnRedis();
    const options = {
      url: redis.url,
      keyPrefix: 'paused:',
      logger: testLogger,
      outageGapEveryMs: 20,
      probeEveryMs: 20,
      answerDeadlineMs: 200,
    };
    await using pair = await connectedPair(options);
    const { bus, peer, received, nextMessage, nextGaps } = pair;
    try {
      // Nothing errs and nothing closes: only the missed probe tells, and then the gaps make followers poll.
      const gaps = nextGaps(3);
      const busLost = nextOutage(bus, true);
      const peerLost = nextOutage(peer, true);
      redis.pause();
      await gaps;
      await Promise.all([busLost, peerLost]);

      // Neither a publish nor a health check waits for the paused server.
      const local = nextMessage();
      await bus.publish('events', 'while paused');
      await local;
      await peer.publish('events', 'from the peer while paused');
      await expect(bus.ping()).rejects.toThrow();

      const busBack = nextOutage(bus, false);
      const peerBack = nextOutage(peer, false);
      const catchUp = nextGaps(1);
      redis.resume();
      await Promise.all([busBack, peerBack, catchUp]);

      // Only Redis carries the peer's messages here; what it published while paused was dropped, not delivered late.
      const pushed = nextMessage();
      await peer.publish('events', 'through redis again');
      await pushed;
      expect(received).toEqual(['through redis', 'while paused', 'through redis again']);
    } finally {
      // Before the pair closes: closing waits for a paused server's answer.
      redis.resume();
    }
  }, 30_000);
});
