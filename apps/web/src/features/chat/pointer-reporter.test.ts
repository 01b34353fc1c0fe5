import { describe, expect, it } from 'bun:test';
import { manualWindow } from '../../testing/manual-window.ts';
import { createPointerReporter, type Pointer } from './pointer-reporter.ts';

/** A reporter whose batching window closes when the test says, and whose calls the test answers. */
function reporterUnderTest() {
  const calls: Pointer[][] = [];
  const batchWindow = manualWindow();
  let answer: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const reporter = createPointerReporter({
    send: (pointers) => {
      calls.push(pointers);
      return new Promise<void>((resolve, reject) => {
        answer = { resolve, reject };
      });
    },
    schedule: batchWindow.schedule,
  });
  return {
    reporter,
    calls,
    isScheduled: batchWindow.isScheduled,
    closeWindow: batchWindow.close,
    /** Answers the call in flight, then lets its continuation run. */
    async answer(outcome: 'ok' | 'error') {
      if (outcome === 'ok') answer?.resolve();
      else answer?.reject(new Error('offline'));
      await Bun.sleep(0);
    },
  };
}

describe('PointerReporter', () => {
  it('sends one call per window with the furthest seq of each conversation', async () => {
    const t = reporterUnderTest();
    t.reporter.note('a', 3);
    t.reporter.note('b', 1);
    t.reporter.note('a', 5);
    t.reporter.note('a', 4);
    expect(t.calls).toEqual([]);
    t.closeWindow();
    expect(t.calls).toEqual([
      [
        { conversationId: 'a', seq: 5 },
        { conversationId: 'b', seq: 1 },
      ],
    ]);
    await t.answer('ok');
    expect(t.isScheduled()).toBe(false);
  });

  it('sends only pointers beyond what the server is known to have', async () => {
    const t = reporterUnderTest();
    t.reporter.acknowledge('a', 7);
    t.reporter.note('a', 7);
    t.reporter.note('a', 2);
    expect(t.isScheduled()).toBe(false);

    t.reporter.note('a', 8);
    t.reporter.acknowledge('a', 9); // another device got further while we waited
    t.closeWindow();
    expect(t.calls).toEqual([]);

    t.reporter.note('b', 4);
    t.closeWindow();
    await t.answer('ok');
    t.reporter.note('b', 4);
    expect(t.isScheduled()).toBe(false);
  });

  it('keeps one call out at a time; what was noted meanwhile goes next', async () => {
    const t = reporterUnderTest();
    t.reporter.note('a', 1);
    t.closeWindow();
    t.reporter.note('a', 1); // already on its way
    t.reporter.note('a', 2);
    expect(t.isScheduled()).toBe(false);
    await t.answer('ok');
    t.closeWindow();
    expect(t.calls).toEqual([[{ conversationId: 'a', seq: 1 }], [{ conversationId: 'a', seq: 2 }]]);
  });

  it('sends a failed batch again with the next one, never on its own', async () => {
    const t = reporterUnderTest();
    t.reporter.note('a', 3);
    t.closeWindow();
    await t.answer('error');
    expect(t.isScheduled()).toBe(false);

    t.reporter.note('b', 1);
    t.closeWindow();
    expect(t.calls.at(-1)).toEqual([
      { conversationId: 'a', seq: 3 },
      { conversationId: 'b', seq: 1 },
    ]);
    await t.answer('error');
    t.reporter.retry();
    t.closeWindow();
    expect(t.calls).toHaveLength(3);
  });
});
