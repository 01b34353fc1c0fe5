import { describe, expect, it } from 'bun:test';
import { createManualClock } from '../platform/clock/index.ts';
import { createTokenBuckets } from './token-buckets.ts';

describe('createTokenBuckets', () => {
  it('allows a burst, then one take per refill interval, and says how long to wait', () => {
    const clock = createManualClock();
    const buckets = createTokenBuckets({ burst: 3, perSecond: 2, clock });
    expect([buckets.take('ada'), buckets.take('ada'), buckets.take('ada')]).toEqual(Array(3).fill({ isAllowed: true }));
    expect(buckets.take('ada')).toEqual({ isAllowed: false, retryAfterMs: 500 });
    clock.advance(250);
    expect(buckets.take('ada')).toEqual({ isAllowed: false, retryAfterMs: 250 });
    clock.advance(250);
    expect(buckets.take('ada')).toEqual({ isAllowed: true });
    expect(buckets.take('ada')).toMatchObject({ isAllowed: false });
  });

  it('keeps keys apart', () => {
    const buckets = createTokenBuckets({ burst: 1, perSecond: 1, clock: createManualClock() });
    expect(buckets.take('ada')).toEqual({ isAllowed: true });
    expect(buckets.take('bob')).toEqual({ isAllowed: true });
    expect(buckets.take('ada')).toMatchObject({ isAllowed: false });
  });

  it('refills no further than the burst after a long pause', () => {
    const clock = createManualClock();
    const buckets = createTokenBuckets({ burst: 2, perSecond: 1, clock });
    buckets.take('ada');
    clock.advance(60_000);
    expect([buckets.take('ada'), buckets.take('ada'), buckets.take('ada')].map((d) => d.isAllowed)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('forgets full buckets once it tracks maxKeys, and only those', () => {
    const clock = createManualClock();
    const buckets = createTokenBuckets({ burst: 1, perSecond: 1, clock, maxKeys: 3 });
    buckets.take('a');
    buckets.take('b');
    clock.advance(1_000); // a and b are full again
    buckets.take('c');
    buckets.take('d'); // at the cap: a and b go, c stays
    expect(buckets.size).toBe(2);
    expect(buckets.take('c')).toMatchObject({ isAllowed: false });
  });
});
