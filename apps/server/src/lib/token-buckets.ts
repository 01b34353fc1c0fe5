import type { Clock } from '../platform/clock/index.ts';

export type TakeDecision = { isAllowed: true } | { isAllowed: false; retryAfterMs: number };

/**
 * One token bucket per key, in this process: a key may spend `burst` at
 * once and `perSecond` on average. Synchronous and free of I/O, so it can
 * sit on the send path (a shared counter would add a round trip to every
 * message); what it limits is therefore per instance.
 */
export function createTokenBuckets(options: {
  burst: number;
  perSecond: number;
  clock: Clock;
  /** Keys tracked before full buckets (keys idle long enough) are forgotten. */
  maxKeys?: number;
}) {
  const { burst, perSecond, clock } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const tokensOf = (bucket: { tokens: number; at: number }, now: number) =>
    Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);

  /** A full bucket is the same as none: dropping it loses nothing. */
  function forgetFull(now: number) {
    for (const [key, bucket] of buckets) if (tokensOf(bucket, now) >= burst) buckets.delete(key);
  }

  return {
    /** Spends one token of `key`, or says how long until one is there. */
    take(key: string): TakeDecision {
      const now = clock.now();
      const bucket = buckets.get(key);
      const tokens = bucket ? tokensOf(bucket, now) : burst;
      if (tokens < 1) return { isAllowed: false, retryAfterMs: Math.ceil(((1 - tokens) / perSecond) * 1000) };
      if (!bucket && buckets.size >= maxKeys) forgetFull(now);
      buckets.set(key, { tokens: tokens - 1, at: now });
      return { isAllowed: true };
    },
    /** Keys tracked now (for tests and metrics). */
    get size() {
      return buckets.size;
    },
  };
}

export type TokenBuckets = ReturnType<typeof createTokenBuckets>;
