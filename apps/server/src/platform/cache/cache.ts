/**
 * A shared key-value cache with per-entry expiry: shared between instances
 * when backed by Redis. Values are strings so callers serialise once.
 */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  /** Several keys in one round trip; each position holds its key's value or undefined. */
  getMany(keys: string[]): Promise<(string | undefined)[]>;
  /** Stores `value` until `ttlMs` from now (a TTL is mandatory: the cache is never the source of truth). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
