import type { Logger } from 'pino';
import type { BusConfig } from '../../env.ts';
import type { Bus } from './bus.ts';
import { createMemoryBus } from './memory-bus.ts';
import { createRedisBus } from './redis-bus.ts';

export type { Bus, BusHandlers } from './bus.ts';

export function createBus(config: BusConfig, logger: Logger): Bus {
  switch (config.kind) {
    case 'memory':
      return createMemoryBus(logger);
    case 'redis':
      return createRedisBus({ url: config.url, keyPrefix: config.keyPrefix, logger });
    default:
      return config satisfies never;
  }
}
