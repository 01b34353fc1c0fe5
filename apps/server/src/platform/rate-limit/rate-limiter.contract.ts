import { describe, expect, it } from 'bun:test';
import type { RateLimiterFactory } from './rate-limiter.ts';

/** The behaviour every RateLimiter backend must have. */
export function testRateLimiter(name: string, makeFactory: () => RateLimiterFactory) {
  describe(`RateLimiter contract: ${name}`, () => {
    const unique = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

    it('allows the budget, then refuses with a retry delay', async () => {
      const limiter = makeFactory()({ name: unique('budget'), points: 3, windowSeconds: 60 });
      for (let attempt = 0; attempt < 3; attempt++) expect(await limiter.consume('ip-1')).toEqual({ isAllowed: true });
      const refused = await limiter.consume('ip-1');
      expect(refused.isAllowed).toBe(false);
      if (!refused.isAllowed) {
        expect(refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
      }
    });

    it('counts keys separately', async () => {
      const limiter = makeFactory()({ name: unique('keys'), points: 1, windowSeconds: 60 });
      expect((await limiter.consume('a')).isAllowed).toBe(true);
      expect((await limiter.consume('b')).isAllowed).toBe(true);
      expect((await limiter.consume('a')).isAllowed).toBe(false);
    });

    it('gives the whole budget back on reset', async () => {
      const limiter = makeFactory()({ name: unique('reset'), points: 1, windowSeconds: 60 });
      await limiter.consume('k');
      expect((await limiter.consume('k')).isAllowed).toBe(false);
      await limiter.reset('k');
      expect((await limiter.consume('k')).isAllowed).toBe(true);
    });

    it('keeps refusing for the block duration once exceeded', async () => {
      const limiter = makeFactory()({ name: unique('block'), points: 1, windowSeconds: 1, blockSeconds: 60 });
      await limiter.consume('k');
      const refused = await limiter.consume('k');
      expect(refused.isAllowed).toBe(false);
      if (!refused.isAllowed) expect(refused.retryAfterMs).toBeGreaterThan(30_000);
    });

    it('renews the budget when the window ends', async () => {
      const limiter = makeFactory()({ name: unique('window'), points: 1, windowSeconds: 1 });
      await limiter.consume('k');
      expect((await limiter.consume('k')).isAllowed).toBe(false);
      await Bun.sleep(1_100);
      expect((await limiter.consume('k')).isAllowed).toBe(true);
    });
  });
}
