import { describe, expect, it } from 'bun:test';
import { createManualClock } from '../testing/manual-clock.ts';
import { createTimers } from './timers.ts';

describe('createTimers', () => {
  it('runs what is scheduled, and nothing that was still waiting when cleared', async () => {
    const clock = createManualClock();
    const timers = createTimers(clock);
    const ran: string[] = [];
    timers.later(1, () => ran.push('soon'));
    timers.later(30, () => ran.push('late'));
    await clock.advance(10);
    timers.clearAll();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(40);
    expect(ran).toEqual(['soon']);
  });

  it('hands the work a timer started to the scheduler, so a manual clock can wait for it', async () => {
    const clock = createManualClock();
    const timers = createTimers(clock);
    const steps: string[] = [];
    timers.later(5, async () => {
      await Promise.resolve();
      steps.push('answered');
    });
    await clock.advance(5);
    expect(steps).toEqual(['answered']);
  });
});
