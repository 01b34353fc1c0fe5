export type RateLimitDecision = { isAllowed: true } | { isAllowed: false; retryAfterMs: number };

/** A budget of `points` per key per window. */
export interface RateLimiter {
  /** Spends one point for `key`; refused once the window's budget is gone (or the key is blocked). */
  consume(key: string): Promise<RateLimitDecision>;
  /** Gives `key` its whole budget back (e.g. after a successful sign-in). */
  reset(key: string): Promise<void>;
}

export interface RateLimitPolicy {
  /** Distinguishes the limiter's keys from every other limiter's. */
  name: string;
  points: number;
  windowSeconds: number;
  /** Once the budget is spent, refuse for this long (instead of only until the window ends). */
  blockSeconds?: number;
}

/** Makes limiters on one backing store (this process, or Redis shared by every instance). */
export type RateLimiterFactory = (policy: RateLimitPolicy) => RateLimiter;
