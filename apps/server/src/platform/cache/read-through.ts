import type { Logger } from 'pino';
import type { Metrics } from '../metrics/index.ts';
import type { Cache } from './cache.ts';

/**
 * One kind of cached value, read through the shared cache: a miss loads from
 * the source of truth and fills the cache for `ttlMs`. Writers call `forget`
 * right after their change commits; the TTL only bounds the damage of a
 * `forget` that never ran (a crash between commit and delete). Hits and
 * misses are counted per `name` in the metrics. A `ttlMs` of 0 turns caching
 * off, so a benchmark can compare with and without.
 *
 * The cache only speeds reads up: when it fails (Redis is down), reads go to
 * the source of truth and nothing is cached, so a Redis outage slows reads
 * down instead of failing them. What a writer could not `forget` meanwhile
 * stays stale until its TTL, as after any failed `forget`.
 */
export interface ReadThrough<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  /** Values for many keys in one cache round trip; `loadMissing` answers the misses (keys it leaves out are not cached). */
  getMany(keys: string[], loadMissing: (keys: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>>;
  /** Never throws: the change has committed, and failing the request now would only invite a retry of it. */
  forget(keys: string[]): Promise<void>;
}

export function createReadThrough<T>(deps: {
  name: string;
  cache: Cache;
  ttlMs: number;
  metrics: Metrics;
  logger: Logger;
  encode: (value: T) => string;
  decode: (stored: string) => T;
}): ReadThrough<T> {
  const { name, cache, ttlMs, encode, decode } = deps;
  const isOff = ttlMs === 0;
  const lookups = (outcome: 'hit' | 'miss') =>
    deps.metrics.counter('gopherchat_cache_lookups_total', 'Cache lookups, by cache and outcome.', {
      cache: name,
      outcome,
    });
  const hits = lookups('hit');
  const misses = lookups('miss');
  // Each kind of value has its own key space in the shared store.
  const keyOf = (key: string) => `${name}:${key}`;
  /** Logged once per run of failures, not once per read: an outage would flood the log. */
  let isFailing = false;
  async function tryCache<R>(operation: () => Promise<R>): Promise<R | undefined> {
    try {
      const result = await operation();
      if (isFailing) deps.logger.info({ cache: name }, 'cache is back');
      isFailing = false;
      return result;
    } catch (error) {
      if (!isFailing) deps.logger.warn({ err: error, cache: name }, 'cache unavailable; reading the source');
      isFailing = true;
      return undefined;
    }
  }

  return {
    async get(key, load) {
      if (isOff) return load();
      const stored = await tryCache(() => cache.get(keyOf(key)));
      if (stored !== undefined) {
        hits.increment();
        return decode(stored);
      }
      misses.increment();
      const value = await load();
      await tryCache(() => cache.set(keyOf(key), encode(value), ttlMs));
      return value;
    },

    async getMany(keys, loadMissing) {
      if (isOff) return loadMissing(keys);
      const stored = (await tryCache(() => cache.getMany(keys.map(keyOf)))) ?? [];
      const found = new Map<string, T>();
      const missing: string[] = [];
      keys.forEach((key, index) => {
        const value = stored[index];
        if (value === undefined) missing.push(key);
        else found.set(key, decode(value));
      });
      hits.increment(found.size);
      if (missing.length === 0) return found;
      misses.increment(missing.length);
      const loaded = await loadMissing(missing);
      await tryCache(() => Promise.all([...loaded].map(([key, value]) => cache.set(keyOf(key), encode(value), ttlMs))));
      for (const [key, value] of loaded) found.set(key, value);
      return found;
    },

    async forget(keys) {
      if (isOff) return;
      try {
        await Promise.all(keys.map((key) => cache.delete(keyOf(key))));
      } catch (error) {
        deps.logger.error({ err: error, cache: name, keys }, 'cache not invalidated; stale until its TTL');
      }
    },
  };
}
