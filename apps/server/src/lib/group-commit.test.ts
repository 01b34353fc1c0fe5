import { describe, expect, it } from 'bun:test';
import { createGroupCommit } from './group-commit.ts';

class RefusedValue extends Error {}

/**
 * A store that writes batches in memory: a batch holding a "poison" input
 * fails whole, as a PostgreSQL transaction does. Every flush is recorded.
 */
function fakeStore(options: { failWith?: (batch: string[]) => Error | undefined } = {}) {
  const committed: string[] = [];
  const flushes: string[][] = [];
  const concurrency = { now: 0, most: 0 };
  let open: () => void = () => {};
  let gate: Promise<void> | undefined;
  let flushStarted: () => void = () => {};
  return {
    committed,
    flushes,
    /** Flushes running at once, now and at most. */
    concurrency,
    /** Holds flushes until the returned `open()`; `started` resolves when the first held flush begins. */
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
      const started = new Promise<void>((resolve) => {
        flushStarted = resolve;
      });
      return { started, open: () => open() };
    },
    async flush(batch: string[]): Promise<Array<string | Error>> {
      flushes.push(batch);
      concurrency.now += 1;
      concurrency.most = Math.max(concurrency.most, concurrency.now);
      flushStarted();
      try {
        await gate;
        const failure = batch.includes('poison')
          ? new RefusedValue('PostgreSQL refused the batch')
          : options.failWith?.(batch);
        if (failure) throw failure;
        committed.push(...batch);
        return batch.map((input) => `stored ${input}`);
      } finally {
        concurrency.now -= 1;
      }
    },
  };
}

const isolate = {
  isInputFault: (error: unknown) => error instanceof RefusedValue,
  asRefusal: () => new Error('refused'),
};

/** Window timers asked for, fired only when a test says so: time moves by hand, never by waiting. */
function manualWindows() {
  const pending: Array<{ ms: number; fire: () => void }> = [];
  return {
    pending,
    setTimer: (ms: number, fire: () => void) => {
      pending.push({ ms, fire });
    },
    /** Ends the oldest open window. */
    end() {
      const window = pending.shift();
      if (!window) throw new Error('no window is open');
      window.fire();
    },
  };
}

/** Submits `inputs` while a first request's flush is in flight, so that they gather into one batch behind it. */
async function submitTogether(
  commit: { submit(input: string): Promise<string> },
  store: ReturnType<typeof fakeStore>,
  inputs: string[],
) {
  const held = store.hold();
  const first = commit.submit('first');
  await held.started;
  const rest = inputs.map((input) => commit.submit(input));
  held.open();
  return { first: await first, rest: await Promise.allSettled(rest) };
}

describe('createGroupCommit', () => {
  it('writes requests that arrive while a batch is in flight as one batch, in arrival order', async () => {
    const store = fakeStore();
    const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 100 });
    const { rest } = await submitTogether(commit, store, ['a', 'b', 'c']);
    expect(rest.map((outcome) => outcome.status === 'fulfilled' && outcome.value)).toEqual([
      'stored a',
      'stored b',
      'stored c',
    ]);
    expect(store.flushes).toEqual([['first'], ['a', 'b', 'c']]);
  });

  it('caps a batch at maxBatch and writes the rest next', async () => {
    const store = fakeStore();
    const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 2 });
    await submitTogether(commit, store, ['a', 'b', 'c']);
    expect(store.flushes).toEqual([['first'], ['a', 'b'], ['c']]);
    expect(store.committed).toEqual(['first', 'a', 'b', 'c']);
  });

  it('settles each request with its own outcome, an Error rejecting only its request', async () => {
    const commit = createGroupCommit<string, string>({
      flush: async (batch) => batch.map((input) => (input === 'bad' ? new Error(`no ${input}`) : input)),
      windowMs: 0,
      maxBatch: 10,
    });
    const outcomes = await Promise.allSettled([commit.submit('good'), commit.submit('bad')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('fails only the poisoned request of a full batch, not everyone batched with it (one NUL failed 20 of 20 sends)', async () => {
    const store = fakeStore();
    const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 64, isolate });
    const inputs = Array.from({ length: 40 }, (_, index) => (index === 23 ? 'poison' : `m${index}`));
    const { rest } = await submitTogether(commit, store, inputs);

    rest.forEach((outcome, index) => {
      if (index === 23) expect(outcome).toEqual({ status: 'rejected', reason: new Error('refused') });
      else expect(outcome).toEqual({ status: 'fulfilled', value: `stored m${index}` });
    });
    // Everyone else committed, in the order they were submitted.
    expect(store.committed).toEqual(['first', ...inputs.filter((input) => input !== 'poison')]);
    // Halving finds the offender in a logarithmic number of flushes, not one per request.
    expect(store.flushes.length).toBeLessThanOrEqual(2 + 2 * Math.ceil(Math.log2(inputs.length)));
  });

  it('fails the whole batch, retryable as is, when the store itself failed', async () => {
    const store = fakeStore({ failWith: (batch) => (batch.length > 1 ? new Error('connection lost') : undefined) });
    const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 64, isolate });
    const { rest } = await submitTogether(commit, store, ['a', 'b', 'c']);
    expect(rest.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // Not split: a lost connection is nobody's input, and halving would only multiply the attempts.
    expect(store.flushes).toEqual([['first'], ['a', 'b', 'c']]);
  });

  it('keeps what one half committed when the store fails while a poisoned batch is split', async () => {
    // The store goes down once the first half [a, b] has committed.
    const store = fakeStore({
      failWith: () => (store.committed.includes('b') ? new Error('connection lost') : undefined),
    });
    const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 64, isolate });
    const { rest } = await submitTogether(commit, store, ['a', 'b', 'poison', 'd']);
    expect(rest).toEqual([
      { status: 'fulfilled', value: 'stored a' },
      { status: 'fulfilled', value: 'stored b' },
      { status: 'rejected', reason: new Error('refused') },
      { status: 'rejected', reason: new Error('connection lost') },
    ]);
    expect(store.committed).toEqual(['first', 'a', 'b']);
  });

  describe('the batching window', () => {
    it('waits for the window, gathering every request that arrives meanwhile into one batch', async () => {
      const store = fakeStore();
      const windows = manualWindows();
      const commit = createGroupCommit({ flush: store.flush, windowMs: 5, maxBatch: 100, setTimer: windows.setTimer });
      const submitted = ['a', 'b', 'c'].map((input) => commit.submit(input));
      // One window for the batch: later arrivals join it rather than extend it.
      expect(windows.pending.map((window) => window.ms)).toEqual([5]);
      expect(store.flushes).toEqual([]);

      windows.end();
      expect(await Promise.all(submitted)).toEqual(['stored a', 'stored b', 'stored c']);
      expect(store.flushes).toEqual([['a', 'b', 'c']]);
    });

    it('opens a fresh window for a request that arrives once the path is idle', async () => {
      const store = fakeStore();
      const windows = manualWindows();
      const commit = createGroupCommit({ flush: store.flush, windowMs: 5, maxBatch: 100, setTimer: windows.setTimer });
      const first = commit.submit('a');
      windows.end();
      await first;

      const second = commit.submit('b');
      expect(windows.pending).toHaveLength(1);
      expect(store.flushes).toEqual([['a']]);
      windows.end();
      expect(await second).toBe('stored b');
      expect(store.flushes).toEqual([['a'], ['b']]);
    });

    it('writes what queued behind a flush as soon as it ends, without another window', async () => {
      const store = fakeStore();
      const windows = manualWindows();
      const commit = createGroupCommit({ flush: store.flush, windowMs: 5, maxBatch: 100, setTimer: windows.setTimer });
      const held = store.hold();
      const first = commit.submit('first');
      windows.end();
      await held.started;
      const behind = ['a', 'b'].map((input) => commit.submit(input));
      held.open();

      expect(await Promise.all([first, ...behind])).toEqual(['stored first', 'stored a', 'stored b']);
      expect(windows.pending).toEqual([]);
      expect(store.flushes).toEqual([['first'], ['a', 'b']]);
    });
  });

  describe('backpressure', () => {
    it('keeps one flush in flight at a time, draining a backlog in batches of at most maxBatch, in order', async () => {
      const store = fakeStore();
      const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 4 });
      const inputs = Array.from({ length: 10 }, (_, index) => `m${index}`);
      const { rest } = await submitTogether(commit, store, inputs);

      expect(rest.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
      // The backlog waits for the one batch in flight instead of opening transactions beside it.
      expect(store.concurrency.most).toBe(1);
      expect(store.flushes).toEqual([['first'], inputs.slice(0, 4), inputs.slice(4, 8), inputs.slice(8)]);
      expect(store.committed).toEqual(['first', ...inputs]);
    });

    it('reports how long the flush in flight has been writing, and 0 while none is', async () => {
      let nowMs = 1_000;
      const store = fakeStore();
      const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 10, now: () => nowMs });
      expect(commit.stalledForMs()).toBe(0);

      const held = store.hold();
      const first = commit.submit('a');
      await held.started;
      nowMs += 250;
      expect(commit.stalledForMs()).toBe(250);

      held.open();
      await first;
      expect(commit.stalledForMs()).toBe(0);
    });
  });

  describe('after a failure', () => {
    it('writes later batches as usual once a flush failed (a lost connection does not wedge the path)', async () => {
      let isStoreDown = true;
      const store = fakeStore({ failWith: () => (isStoreDown ? new Error('connection lost') : undefined) });
      const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 64, isolate });
      const failed = await Promise.allSettled([commit.submit('a'), commit.submit('b')]);
      expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);

      isStoreDown = false;
      expect(await Promise.all([commit.submit('a'), commit.submit('c')])).toEqual(['stored a', 'stored c']);
      expect(store.flushes).toEqual([
        ['a', 'b'],
        ['a', 'c'],
      ]);
      expect(commit.stalledForMs()).toBe(0);
    });

    it('writes the next batch whole after a poisoned one was split', async () => {
      const store = fakeStore();
      const commit = createGroupCommit({ flush: store.flush, windowMs: 0, maxBatch: 64, isolate });
      await Promise.allSettled(['a', 'poison'].map((input) => commit.submit(input)));
      const flushesOfPoisoned = store.flushes.length;

      expect(await Promise.all([commit.submit('c'), commit.submit('d')])).toEqual(['stored c', 'stored d']);
      expect(store.flushes.slice(flushesOfPoisoned)).toEqual([['c', 'd']]);
    });
  });
});
