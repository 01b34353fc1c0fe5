import { describe, expect, it } from 'bun:test';
import { windowedCalls } from '../../testing/windowed-calls.ts';
import { createPointerReporter, type Pointer } from './pointer-reporter.ts';

/** A reporter whose batching window closes when the test says, and whose calls the test answers. */
function reporterUnderTest() {
  const server = windowedCalls<Pointer[], void>();
  const reporter = createPointerReporter({ send: server.call, schedule: server.schedule });
  return {
    reporter,
    calls: server.made,
    isScheduled: server.isScheduled,
    closeWindow: server.closeWindow,
    /** Answers the call in flight; resolves once the reporter has handled the answer. */
    answer: (outcome: 'ok' | 'error') => (outcome === 'ok' ? server.answer(() => undefined) : server.fail()),
  };
}

describe('PointerReporter', () => {
  it('sends one call per window with the furthest seq of each conversation', async () => {
    const t = reporterUnderTest();
    t.reporter.note('a', 3);
    t.reporter.note('b', 1);
    t.reporter.note('a', 5);
    t.reporter.note('a', 4);
    expect(t.calls()).toEqual([]);
    t.closeWindow();
    expect(t.calls()).toEqual([
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
    expect(t.calls()).toEqual([]);

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
    expect(t.calls()).toEqual([[{ conversationId: 'a', seq: 1 }], [{ conversationId: 'a', seq: 2 }]]);
  });

  it('sends a failed batch again with the next one, never on its own', async () => {
    const t = reporterUnderTest();
    t.reporter.note('a', 3);
    t.closeWindow();
    await t.answer('error');
    expect(t.isScheduled()).toBe(false);

    t.reporter.note('b', 1);
    t.closeWindow();
    expect(t.calls().at(-1)).toEqual([
      { conversationId: 'a', seq: 3 },
      { conversationId: 'b', seq: 1 },
    ]);
    await t.answer('error');
    t.reporter.retry();
    t.closeWindow();
    expect(t.calls()).toHaveLength(3);
  });
});
