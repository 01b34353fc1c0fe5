import type { Clock } from '../clock/index.ts';
import type { Cache } from './cache.ts';

/** An in-process cache: the embedded default. Expired entries are dropped when read or swept. */
export function createMemoryCache(clock: Clock, options: { sweepEveryMs?: number } = {}): Cache {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const sweep = setInterval(() => {
    const now = clock.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, options.sweepEveryMs ?? 60_000);
  // The sweep must not keep a process alive that has nothing else to do.
  sweep.unref();

  function read(key: string): string | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  return {
    async get(key) {
      return read(key);
    },
    async getMany(keys) {
      return keys.map(read);
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: clock.now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
