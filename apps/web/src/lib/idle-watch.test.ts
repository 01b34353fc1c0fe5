import { describe, expect, it } from 'bun:test';
import { createManualClock } from '../testing/manual-clock.ts';
import { createIdleWatch } from './idle-watch.ts';

describe('the idle watch', () => {
  it('goes idle after the quiet time with no input, counting from the last input, and back on the next', async () => {
    const clock = createManualClock();
    const changes: boolean[] = [];
    const watch = createIdleWatch({ clock, idleAfterMs: 1_000, onChange: (isIdle) => changes.push(isIdle) });
    await clock.advance(600);
    watch.activity();
    await clock.advance(999);
    expect(changes).toEqual([]);
    await clock.advance(1);
    expect(changes).toEqual([true]);
    expect(watch.isIdle).toBe(true);
    watch.activity();
    watch.activity();
    expect(changes).toEqual([true, false]);
    await clock.advance(1_000);
    expect(changes).toEqual([true, false, true]);
    watch.dispose();
  });

  it('stops watching once disposed', async () => {
    const clock = createManualClock();
    const changes: boolean[] = [];
    const watch = createIdleWatch({ clock, idleAfterMs: 1_000, onChange: (isIdle) => changes.push(isIdle) });
    watch.dispose();
    await clock.advance(5_000);
    expect(changes).toEqual([]);
  });
});
