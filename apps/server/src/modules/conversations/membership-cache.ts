import type { MemberRole } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { Cache } from '../../platform/cache/index.ts';
import type { Metrics } from '../../platform/metrics/index.ts';
import type { ConversationRepo } from './repo.ts';

/** Cached "not a member": outsiders probing are answered from the cache too. */
const NOT_A_MEMBER = '-';

const roleKey = (conversationId: string, userId: string) => `member:${conversationId}:${userId}`;
const conversationsKey = (userId: string) => `conversations-of:${userId}`;

/**
 * Who is in which conversation, for the reads that check it on every call
 * (history, typing, receipts, and presence on every connect): read through
 * the shared cache, and invalidated by the writers right after every
 * membership change commits, on every instance at once when the cache is
 * Redis. The TTL only bounds the damage of an invalidation that never ran
 * (a crash between commit and delete). Writes never trust it: sends check
 * membership inside their transaction, and live delivery follows the log.
 * A `ttlMs` of 0 turns caching off (the benchmark's baseline).
 */
export function createMembershipCache(deps: {
  repo: ConversationRepo;
  cache: Cache;
  ttlMs: number;
  metrics: Metrics;
  logger: Logger;
}) {
  const { repo, cache, ttlMs } = deps;
  const counters = (name: string) => {
    const lookups = (outcome: 'hit' | 'miss') =>
      deps.metrics.counter('gopherchat_cache_lookups_total', 'Cache lookups, by cache and outcome.', {
        cache: name,
        outcome,
      });
    return { hit: lookups('hit'), miss: lookups('miss') };
  };
  const roleCounters = counters('membership');
  const conversationsCounters = counters('conversations_of_user');

  async function readThrough<T>(
    key: string,
    outcome: ReturnType<typeof counters>,
    load: () => Promise<T>,
    encode: (value: T) => string,
    decode: (stored: string) => T,
  ): Promise<T> {
    if (ttlMs === 0) return load();
    const stored = await cache.get(key);
    if (stored !== undefined) {
      outcome.hit.increment();
      return decode(stored);
    }
    outcome.miss.increment();
    const value = await load();
    await cache.set(key, encode(value), ttlMs);
    return value;
  }

  return {
    roleOf: (conversationId: string, userId: string): Promise<MemberRole | undefined> =>
      readThrough(
        roleKey(conversationId, userId),
        roleCounters,
        () => repo.roleOf(conversationId, userId),
        (role) => role ?? NOT_A_MEMBER,
        (stored) => (stored === NOT_A_MEMBER ? undefined : (stored as MemberRole)),
      ),

    conversationIdsOf: (userId: string): Promise<string[]> =>
      readThrough(
        conversationsKey(userId),
        conversationsCounters,
        () => repo.conversationIdsOf(userId),
        (ids) => JSON.stringify(ids),
        (stored) => JSON.parse(stored) as string[],
      ),

    /** After a commit that added, removed or re-roled these members of the conversation. */
    async forget(conversationId: string, userIds: string[]) {
      if (ttlMs === 0) return;
      try {
        await Promise.all(
          userIds.flatMap((userId) => [
            cache.delete(roleKey(conversationId, userId)),
            cache.delete(conversationsKey(userId)),
          ]),
        );
      } catch (error) {
        // The change has committed; failing the request now would only invite a retry of it.
        deps.logger.error({ err: error, conversationId }, 'membership cache not invalidated; stale until its TTL');
      }
    },
  };
}
