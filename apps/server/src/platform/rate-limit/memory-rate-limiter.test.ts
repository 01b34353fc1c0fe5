import { testRateLimiter } from './rate-limiter.contract.ts';
import { createMemoryRateLimiters } from './rate-limiters.ts';

testRateLimiter('memory', createMemoryRateLimiters);
