import { describe, expect, it } from 'bun:test';
import type { BusHandlers } from '../platform/bus/index.ts';
import { eventually } from '../testing/collect.ts';
import { type GapFreeStreamSource, gapFreeStream } from './gap-free-stream.ts';

interface Entry {
  id: number;
}

/**
 * An in-memory log plus a hand-driven "bus", so each test decides exactly
 * which live messages arrive, in which order, and which are lost.
 */
function createHarness(initial = 0) {
  const log: Entry[] = Array.from({ length: initial }, (_, index) => ({ id: index + 1 }));
  let handlers: BusHandlers | undefined;
  let reads = 0;
  let markHeadRead = () => {};
  /** Resolves once a stream with no resume point has subscribed and read the head: it is live from there on. */
  const headRead = new Promise<void>((resolve) => {
    markHeadRead = resolve;
  });
  const source: GapFreeStreamSource<Entry> = {
    async subscribe(next) {
      handlers = next;
    },
    decode: (payload) => [JSON.parse(payload) as Entry],
    async readAfter(after, limit) {
      reads++;
      return log.filter((entry) => BigInt(entry.id) > after).slice(0, limit);
    },
    async readHeadId() {
      const head = BigInt(log.length);
      markHeadRead();
      return head;
    },
    idOf: (entry) => BigInt(entry.id),
  };
  return {
    source,
    headRead,
    get reads() {
      return reads;
    },
    /** Commits the next entry to the log without publishing it. */
    commit(): Entry {
      const entry = { id: log.length + 1 };
      log.push(entry);
      return entry;
    },
    publish(entry: Entry) {
      handlers?.onMessage(JSON.stringify(entry));
    },
    signalGap() {
      handlers?.onGap?.();
    },
  };
}

/** Runs a stream over the harness, collecting ids; `stop()` aborts it and waits for it to end. */
function startStream(harness: ReturnType<typeof createHarness>, after: bigint | undefined) {
  const controller = new AbortController();
  const seen: number[] = [];
  const done = (async () => {
    for await (const entry of gapFreeStream(harness.source, { after, signal: controller.signal })) seen.push(entry.id);
  })();
  return {
    seen,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

describe('gapFreeStream', () => {
  it('backfills from the resume point, then delivers live events', async () => {
    const harness = createHarness(5);
    const stream = startStream(harness, 2n);
    const { seen } = stream;
    await eventually(() => seen.length === 3, 'the backfill');
    harness.publish(harness.commit());
    await eventually(() => seen.length === 4, 'the live event');
    await stream.stop();
    expect(seen).toEqual([3, 4, 5, 6]);
  });

  it('starts at the head when there is no resume point', async () => {
    const harness = createHarness(3);
    const stream = startStream(harness, undefined);
    const { seen } = stream;
    await harness.headRead;
    harness.publish(harness.commit());
    await eventually(() => seen.length === 1, 'the live event');
    await stream.stop();
    expect(seen).toEqual([4]);
  });

  it('skips live copies of events the backfill already delivered', async () => {
    const harness = createHarness(0);
    const first = harness.commit();
    const second = harness.commit();
    const stream = startStream(harness, 0n);
    const { seen } = stream;
    await eventually(() => seen.length === 2, 'the backfill');
    // The publishes of events committed before the read arrive late.
    harness.publish(first);
    harness.publish(second);
    harness.publish(harness.commit());
    await eventually(() => seen.length === 3, 'the new event');
    // A later event as the barrier: a copy delivered twice would come before it.
    harness.publish(harness.commit());
    await eventually(() => seen.length === 4, 'the barrier');
    await stream.stop();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('fills a hole from the log when a live event skips ahead (lost or reordered publish)', async () => {
    const harness = createHarness(0);
    const stream = startStream(harness, undefined);
    const { seen } = stream;
    await harness.headRead;
    const lost = harness.commit();
    const late = harness.commit();
    const third = harness.commit();
    harness.publish(late); // 2 arrives before 1, and 1's publish is later lost
    harness.publish(third);
    await eventually(() => seen.length === 3, 'all three');
    harness.publish(lost);
    harness.publish(harness.commit());
    await eventually(() => seen.length === 4, 'the barrier');
    await stream.stop();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('re-reads the log when the bus reports a gap', async () => {
    const harness = createHarness(0);
    const stream = startStream(harness, undefined);
    const { seen } = stream;
    await harness.headRead;
    harness.commit();
    harness.commit(); // both published while the broker was away: never arrive
    const readsBefore = harness.reads;
    harness.signalGap();
    await eventually(() => seen.length === 2, 'the catch-up');
    expect(harness.reads).toBeGreaterThan(readsBefore);
    await stream.stop();
    expect(seen).toEqual([1, 2]);
  });

  it('pages through a backfill larger than one page', async () => {
    const harness = createHarness(250);
    const stream = startStream(harness, 0n);
    const { seen } = stream;
    await eventually(() => seen.length === 250, 'the whole backfill');
    await stream.stop();
    expect(seen).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
  });

  it('ends when the signal aborts while waiting', async () => {
    const harness = createHarness(0);
    const stream = startStream(harness, undefined);
    const { seen } = stream;
    await harness.headRead;
    await stream.stop();
    expect(seen).toEqual([]);
  });
});
