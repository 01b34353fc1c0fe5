export type { RateLimitDecision, RateLimiter, RateLimiterFactory, RateLimitPolicy } from './rate-limiter.ts';
export { createMemoryRateLimiters, createRedisRateLimiters } from './rate-limiters.ts';
