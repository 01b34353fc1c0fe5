import { describe, expect, it } from 'bun:test';
import { createTimers } from './timers.ts';

describe('createTimers', () => {
  it('runs what is scheduled, and nothing that was still waiting when cleared', async () => {
    const timers = createTimers();
    const ran: string[] = [];
    timers.later(1, () => ran.push('soon'));
    timers.later(30, () => ran.push('late'));
    await Bun.sleep(10);
    timers.clearAll();
    await Bun.sleep(40);
    expect(ran).toEqual(['soon']);
  });
});
