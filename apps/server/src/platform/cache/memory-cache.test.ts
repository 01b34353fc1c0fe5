import { createManualClock } from '../clock/index.ts';
import { testCache } from './cache.contract.ts';
import { createMemoryCache } from './memory-cache.ts';

testCache('memory', async () => {
  const clock = createManualClock();
  const cache = createMemoryCache(clock);
  return {
    cache,
    peer: cache,
    elapse: async (ms) => clock.advance(ms),
    dispose: () => cache.close(),
  };
});
