import type { MemberRole } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { Cache } from '../../platform/cache/index.ts';
import { createReadThrough } from '../../platform/cache/read-through.ts';
import type { Metrics } from '../../platform/metrics/index.ts';
import type { ConversationRepo } from './repo.ts';

/** Cached "not a member": outsiders probing are answered from the cache too. */
const NOT_A_MEMBER = '-';

/**
 * Who is in which conversation, for the reads that check it on every call
 * (history, typing, receipts, and presence on every connect), and each
 * conversation's member ids for those that tell its members something
 * (presence introductions): read through the shared cache, invalidated by
 * the writers right after every change commits, on every instance at once
 * when the cache is Redis. Writes never trust it: sends check membership
 * inside their transaction, and live delivery follows the log.
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
  const membersOfConversation = createReadThrough<string[]>({
    ...deps,
    name: 'members_of_conversation',
    encode: JSON.stringify,
    decode: (stored) => JSON.parse(stored) as string[],
  });

  return {
    roleOf: (conversationId: string, userId: string): Promise<MemberRole | undefined> =>
      roles.get(`${conversationId}:${userId}`, () => repo.roleOf(conversationId, userId)),

    conversationIdsOf: (userId: string): Promise<string[]> =>
      conversationsOfUser.get(userId, () => repo.conversationIdsOf(userId)),

    /** The user ids of the conversation's members; none if there is no such conversation. */
    memberIdsOf: (conversationId: string): Promise<string[]> =>
      membersOfConversation.get(conversationId, () => repo.memberIdsOf(conversationId)),

    /** After a commit that added, removed or re-roled these members of the conversation. */
    async forget(conversationId: string, userIds: string[]) {
      await Promise.all([
        roles.forget(userIds.map((userId) => `${conversationId}:${userId}`)),
        conversationsOfUser.forget(userIds),
        membersOfConversation.forget([conversationId]),
      ]);
    },
  };
}
