import { describe, expect, it } from 'bun:test';
import { disposableFixture } from '../../testing/fixture.ts';
import type { Cache } from './cache.ts';

export interface CacheFixture {
  cache: Cache;
  /** Another handle on the same store, as another instance would have. */
  peer: Cache;
  /** Lets `ms` pass for expiry purposes (a manual clock, or real time). */
  elapse(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

/** The behaviour every Cache implementation must have. */
export function testCache(name: string, makeFixture: () => Promise<CacheFixture>) {
  describe(`Cache contract: ${name}`, () => {
    const setUp = disposableFixture(makeFixture);

    it('returns what was set, to every handle on the store', async () => {
      const { cache, peer } = await setUp();
      await cache.set('user:1', '{"name":"Ada"}', 60_000);
      expect(await cache.get('user:1')).toBe('{"name":"Ada"}');
      expect(await peer.get('user:1')).toBe('{"name":"Ada"}');
    });

    it('reads several keys at once, in the order asked, expired and missing ones as undefined', async () => {
      const { cache, peer, elapse } = await setUp();
      await cache.set('many:1', 'one', 60_000);
      await cache.set('many:2', 'two', 100);
      await cache.set('many:3', 'three', 60_000);
      await elapse(250);
      expect(await peer.getMany(['many:3', 'many:missing', 'many:2', 'many:1'])).toEqual([
        'three',
        undefined,
        undefined,
        'one',
      ]);
      expect(await cache.getMany([])).toEqual([]);
    });

    it('returns undefined for a key never set', async () => {
      const { cache } = await setUp();
      expect(await cache.get('missing')).toBeUndefined();
    });

    it('overwrites a value and its expiry', async () => {
      const { cache, elapse } = await setUp();
      await cache.set('k', 'old', 100);
      await cache.set('k', 'new', 60_000);
      await elapse(200);
      expect(await cache.get('k')).toBe('new');
    });

    it('forgets an entry once its TTL has passed', async () => {
      const { cache, elapse } = await setUp();
      await cache.set('short', 'v', 100);
      expect(await cache.get('short')).toBe('v');
      await elapse(250);
      expect(await cache.get('short')).toBeUndefined();
    });

    it('deletes, for every handle', async () => {
      const { cache, peer } = await setUp();
      await cache.set('gone', 'v', 60_000);
      await peer.delete('gone');
      expect(await cache.get('gone')).toBeUndefined();
      await cache.delete('never-there'); // no error
    });

    it('keeps keys that differ only by suffix apart', async () => {
      const { cache } = await setUp();
      await cache.set('a', '1', 60_000);
      await cache.set('a:b', '2', 60_000);
      expect(await cache.get('a')).toBe('1');
      expect(await cache.get('a:b')).toBe('2');
    });
  });
}
