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
  let open: () => void = () => {};
  let gate: Promise<void> | undefined;
  let flushStarted: () => void = () => {};
  return {
    committed,
    flushes,
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
      flushStarted();
      await gate;
      const failure = batch.includes('poison')
        ? new RefusedValue('PostgreSQL refused the batch')
        : options.failWith?.(batch);
      if (failure) throw failure;
      committed.push(...batch);
      return batch.map((input) => `stored ${input}`);
    },
  };
}

const isolate = {
  isInputFault: (error: unknown) => error instanceof RefusedValue,
  asRefusal: () => new Error('refused'),
};

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
});
