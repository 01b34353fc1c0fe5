import { testLogger } from '../../testing/logger.ts';
import { testBus } from './bus.contract.ts';
import { createMemoryBus } from './memory-bus.ts';

testBus('memory', async () => {
  // One process-wide bus is both "instances": that is all the memory bus can bridge.
  const bus = createMemoryBus(testLogger);
  return { bus, peer: bus, dispose: () => bus.close() };
});
