import { describe, expect, it } from 'bun:test';
import { eventually } from '../../testing/eventually.ts';
import { disposableFixture } from '../../testing/fixture.ts';
import type { Bus } from './bus.ts';

export interface BusFixture {
  bus: Bus;
  /** A second bus sharing the same broker, as another instance would. */
  peer: Bus;
  /** Drops the broker connections under `bus`; undefined where there is none to drop. */
  dropConnection?: () => Promise<void>;
  dispose(): Promise<void>;
}

/** The behaviour every Bus implementation must have. */
export function testBus(name: string, makeFixture: () => Promise<BusFixture>) {
  describe(`Bus contract: ${name}`, () => {
    const setUp = disposableFixture(makeFixture);

    it('accepts a subscription made before the broker connection is up', async () => {
      // A SUBSCRIBE queued before the connection is up must still go live
      // (ioredis' ready check once refused it, in the server's startup).
      const { bus, peer } = await setUp();
      const received: string[] = [];
      const stop = new AbortController();
      await bus.subscribe('early', { onMessage: (payload) => received.push(payload) }, stop.signal);
      await peer.publish('early', 'hello');
      await eventually(() => received.length === 1, 'the message');
      stop.abort();
    });

    it('delivers every message to every subscriber in publish order', async () => {
      const { bus, peer } = await setUp();
      const first: string[] = [];
      const second: string[] = [];
      const stop = new AbortController();
      await bus.subscribe('room', { onMessage: (payload) => first.push(payload) }, stop.signal);
      await peer.subscribe('room', { onMessage: (payload) => second.push(payload) }, stop.signal);
      const sent = Array.from({ length: 200 }, (_, index) => `m${index}`);
      for (const payload of sent) await bus.publish('room', payload);
      await eventually(() => first.length === sent.length && second.length === sent.length, 'all messages');
      expect(first).toEqual(sent);
      expect(second).toEqual(sent);
      stop.abort();
    });

    it('keeps order for messages published without awaiting each one', async () => {
      const { bus } = await setUp();
      const received: string[] = [];
      const stop = new AbortController();
      await bus.subscribe('burst', { onMessage: (payload) => received.push(payload) }, stop.signal);
      const sent = Array.from({ length: 500 }, (_, index) => String(index));
      await Promise.all(sent.map((payload) => bus.publish('burst', payload)));
      await eventually(() => received.length === sent.length, 'the burst');
      expect(received).toEqual(sent);
      stop.abort();
    });

    it('does not leak messages across topics', async () => {
      const { bus } = await setUp();
      const onA: string[] = [];
      const onB: string[] = [];
      const stop = new AbortController();
      await bus.subscribe('a', { onMessage: (payload) => onA.push(payload) }, stop.signal);
      await bus.subscribe('b', { onMessage: (payload) => onB.push(payload) }, stop.signal);
      await bus.publish('a', 'for-a');
      await bus.publish('b', 'for-b');
      await eventually(() => onA.length === 1 && onB.length === 1, 'one message per topic');
      await Bun.sleep(30);
      expect(onA).toEqual(['for-a']);
      expect(onB).toEqual(['for-b']);
      stop.abort();
    });

    it('stops delivering once the subscription is aborted, leaving others subscribed', async () => {
      const { bus } = await setUp();
      const leaving: string[] = [];
      const staying: string[] = [];
      const leave = new AbortController();
      const stay = new AbortController();
      await bus.subscribe('t', { onMessage: (payload) => leaving.push(payload) }, leave.signal);
      await bus.subscribe('t', { onMessage: (payload) => staying.push(payload) }, stay.signal);
      await bus.publish('t', 'before');
      await eventually(() => leaving.length === 1 && staying.length === 1, 'the first message');
      leave.abort();
      await bus.publish('t', 'after');
      await eventually(() => staying.length === 2, 'the second message');
      await Bun.sleep(30);
      expect(leaving).toEqual(['before']);
      expect(staying).toEqual(['before', 'after']);
      stay.abort();
    });

    it('can resubscribe to a topic right after its last subscriber left', async () => {
      const { bus } = await setUp();
      const first = new AbortController();
      await bus.subscribe('again', { onMessage: () => {} }, first.signal);
      first.abort();
      const received: string[] = [];
      const second = new AbortController();
      await bus.subscribe('again', { onMessage: (payload) => received.push(payload) }, second.signal);
      await bus.publish('again', 'hello');
      await eventually(() => received.length === 1, 'delivery after resubscribe');
      second.abort();
    });

    it('ignores a subscription whose signal is already aborted', async () => {
      const { bus } = await setUp();
      const received: string[] = [];
      await bus.subscribe('x', { onMessage: (payload) => received.push(payload) }, AbortSignal.abort());
      await bus.publish('x', 'nobody');
      await Bun.sleep(30);
      expect(received).toEqual([]);
    });

    it('keeps delivering to others when one subscriber throws', async () => {
      const { bus } = await setUp();
      const received: string[] = [];
      const stop = new AbortController();
      await bus.subscribe(
        'faulty',
        {
          onMessage: () => {
            throw new Error('subscriber bug');
          },
        },
        stop.signal,
      );
      await bus.subscribe('faulty', { onMessage: (payload) => received.push(payload) }, stop.signal);
      await bus.publish('faulty', 'one');
      await bus.publish('faulty', 'two');
      await eventually(() => received.length === 2, 'both messages');
      stop.abort();
    });

    it('recovers from a lost broker connection and signals the gap', async () => {
      const { bus, peer, dropConnection } = await setUp();
      if (!dropConnection) return; // nothing to lose for an in-process bus
      const received: string[] = [];
      let gaps = 0;
      const stop = new AbortController();
      await bus.subscribe(
        'flaky',
        { onMessage: (payload) => received.push(payload), onGap: () => gaps++ },
        stop.signal,
      );
      await peer.publish('flaky', 'before');
      await eventually(() => received.length === 1, 'the message before the drop');
      await dropConnection();
      await eventually(() => gaps === 1, 'the gap signal after reconnecting');
      await peer.publish('flaky', 'after');
      await eventually(() => received.length === 2, 'the message after reconnecting');
      expect(received).toEqual(['before', 'after']);
      stop.abort();
    });
  });
}
