import { describe, expect, it } from 'bun:test';
import { windowedCalls } from '../testing/windowed-calls.ts';
import { createIdBatcher } from './id-batcher.ts';

/** A batcher whose window closes when the test says, and whose calls the test ends one by one. */
function batcherUnderTest(max = 3) {
  const server = windowedCalls<string[], void>();
  const batcher = createIdBatcher({ max, schedule: server.schedule, run: server.call });
  return {
    batcher,
    calls: server.made,
    isScheduled: server.isScheduled,
    closeWindow: server.closeWindow,
    endOldestCall: () => server.answer(() => undefined),
  };
}

describe('createIdBatcher', () => {
  it('sends what was added within one window together, each id once, in calls of at most max', () => {
    const t = batcherUnderTest(3);
    t.batcher.add(['a', 'b']);
    t.batcher.add(['b', 'c', 'd']);
    expect(t.calls()).toEqual([]);
    t.closeWindow();
    expect(t.calls()).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('schedules one flush per window, and none for nothing', () => {
    const t = batcherUnderTest();
    t.batcher.add([]);
    expect(t.isScheduled()).toBe(false);
    t.batcher.add(['a']);
    t.batcher.add(['b']);
    t.closeWindow();
    expect(t.calls()).toEqual([['a', 'b']]);
  });

  it('does not queue an id while a call carrying it is in flight, and does once it settled', async () => {
    const t = batcherUnderTest();
    t.batcher.add(['a']);
    t.closeWindow();
    expect(t.batcher.isInFlight('a')).toBe(true);
    t.batcher.add(['a']);
    expect(t.isScheduled()).toBe(false);
    await t.endOldestCall();
    expect(t.batcher.isInFlight('a')).toBe(false);
    t.batcher.add(['a']);
    t.closeWindow();
    expect(t.calls()).toEqual([['a'], ['a']]);
  });

  it('starts no call once stopped, not even for what was waiting', () => {
    const t = batcherUnderTest();
    t.batcher.add(['a']);
    t.batcher.stop();
    t.closeWindow();
    t.batcher.add(['b']);
    expect(t.isScheduled()).toBe(false);
    expect(t.calls()).toEqual([]);
  });
});
