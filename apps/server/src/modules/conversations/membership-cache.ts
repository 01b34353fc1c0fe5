import type { MemberRole } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { Cache } from '../../platform/cache/index.ts';
import { createReadThrough } from '../../platform/cache/read-through.ts';
import type { Metrics } from '../../platform/metrics/index.ts';
import type { ConversationCard, ConversationRepo } from './repo.ts';

/** Cached "not a member": outsiders probing are answered from the cache too. */
const NOT_A_MEMBER = '-';

/**
 * Who is in which conversation, for the reads that check it on every call
 * (history, typing, receipts, and presence on every connect), and each
 * conversation's card (kind, title, members) for those that tell its members
 * something: read through the shared cache, invalidated by the writers right
 * after every change commits, on every instance at once when the cache is
 * Redis. Writes never trust it: sends check membership inside their
 * transaction, and live delivery follows the log.
 */
export function createMembershipCache(deps: {
  repo: ConversationRepo;
  cache: Cache;
  ttlMs: number;
  metrics: Metrics;
  logger: Logger;
}) {
  const { repo } = deps;
  const roles = createReadThrough<MemberRole | undefined>({
    ...deps,
    name: 'membership',
    encode: (role) => role ?? NOT_A_MEMBER,
    decode: (stored) => (stored === NOT_A_MEMBER ? undefined : (stored as MemberRole)),
  });
  const conversationsOfUser = createReadThrough<string[]>({
    ...deps,
    name: 'conversations_of_user',
    encode: JSON.stringify,
    decode: (stored) => JSON.parse(stored) as string[],
  });
  const cards = createReadThrough<ConversationCard | null>({
    ...deps,
    name: 'conversation',
    encode: JSON.stringify,
    decode: (stored) => JSON.parse(stored) as ConversationCard | null,
  });

  return {
    roleOf: (conversationId: string, userId: string): Promise<MemberRole | undefined> =>
      roles.get(`${conversationId}:${userId}`, () => repo.roleOf(conversationId, userId)),

    conversationIdsOf: (userId: string): Promise<string[]> =>
      conversationsOfUser.get(userId, () => repo.conversationIdsOf(userId)),

    /** The conversation's kind, title and members; null if there is no such conversation. */
    cardOf: async (conversationId: string): Promise<ConversationCard | null> =>
      cards.get(conversationId, async () => (await repo.cardOf(conversationId)) ?? null),

    /** After a commit that added, removed or re-roled these members of the conversation, or renamed it. */
    async forget(conversationId: string, userIds: string[]) {
      await Promise.all([
        roles.forget(userIds.map((userId) => `${conversationId}:${userId}`)),
        conversationsOfUser.forget(userIds),
        cards.forget([conversationId]),
      ]);
    },
  };
}
