import { describe, expect, it } from 'bun:test';
import { createManualClock, systemClock } from './clock.ts';

describe('the manual clock', () => {
  it('fires timers only when time is advanced past them, in due order, at their due time', () => {
    const clock = createManualClock(1_000);
    const fired: [string, number][] = [];
    clock.setTimer(30, () => fired.push(['late', clock.now()]));
    clock.setTimer(10, () => fired.push(['early', clock.now()]));
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(25);
    expect(fired).toEqual([
      ['early', 1_010],
      ['late', 1_030],
    ]);
    expect(clock.now()).toBe(1_034);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires a timer set by another timer within the same advance, and never a cancelled one', () => {
    const clock = createManualClock(0);
    const fired: number[] = [];
    const cancel = clock.setTimer(5, () => fired.push(-1));
    clock.setTimer(10, () => clock.setTimer(10, () => fired.push(clock.now())));
    cancel();
    clock.advance(19);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([20]);
  });
});

describe('the system clock', () => {
  it('runs a timer, and not one that was cancelled before it', async () => {
    const order: string[] = [];
    const cancelled = systemClock.setTimer(0, () => order.push('cancelled'));
    cancelled();
    await new Promise<void>((resolve) => systemClock.setTimer(0, resolve));
    // A later zero-delay timer fires after an earlier one: had the cancelled one run, it would be here.
    expect(order).toEqual([]);
  });
});
