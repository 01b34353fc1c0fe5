import type { Logger } from 'pino';
import type { Bus, BusHandlers } from './bus.ts';

/** A single-process bus: the embedded default and the reference for the contract. */
export function createMemoryBus(logger: Logger): Bus {
  const topics = new Map<string, Set<BusHandlers>>();

  return {
    async publish(topic, payload) {
      const handlers = topics.get(topic);
      if (!handlers) return;
      // Snapshot, then deliver on a microtask: a handler that (un)subscribes
      // must not change who receives this message, and the publisher must
      // not run subscriber code re-entrantly.
      const recipients = [...handlers];
      queueMicrotask(() => {
        for (const handler of recipients) {
          if (!handlers.has(handler)) continue;
          try {
            handler.onMessage(payload);
          } catch (error) {
            logger.error({ err: error }, 'bus subscriber threw');
          }
        }
      });
    },
    async subscribe(topic, handlers, signal) {
      if (signal.aborted) return;
      // Each subscription gets its own entry, even when the caller reuses a handlers object.
      const entry: BusHandlers = { onMessage: (payload) => handlers.onMessage(payload) };
      let set = topics.get(topic);
      if (!set) {
        set = new Set();
        topics.set(topic, set);
      }
      set.add(entry);
      signal.addEventListener(
        'abort',
        () => {
          set.delete(entry);
          if (set.size === 0 && topics.get(topic) === set) topics.delete(topic);
        },
        { once: true },
      );
    },
    async ping() {},
    async close() {
      topics.clear();
    },
  };
}
