import {
  type ConversationSummary,
  GROUP_MAX_MEMBERS,
  type MemberRole,
  type SystemEvent,
  type UserProfile,
} from '@gopherchat/api';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { violatedUniqueConstraint } from '../../platform/database/index.ts';
import { canManage, lockGroup } from './access.ts';
import type { EventLog, PendingEvent } from './event-log.ts';
import { messageEvent } from './message-view.ts';
import { appendNotes } from './notes.ts';
import { type ConversationRepo, createConversationRepo } from './repo.ts';

const DIRECT_STAYS_BETWEEN_TWO = 'Direct conversations stay between two people.';

const joinedEvent = (conversationId: string, userId: string): PendingEvent => ({
  conversationId,
  kind: 'member_joined',
  subjectUserId: userId,
  event: { kind: 'conversation_updated', conversationId },
});

const leftEvent = (conversationId: string, userId: string): PendingEvent => ({
  conversationId,
  kind: 'member_left',
  subjectUserId: userId,
  event: { kind: 'removed_from_conversation', conversationId },
});

/**
 * Who is in a conversation and what a group is called: starting a direct
 * conversation or a group, adding and removing members, renaming. Each
 * change leaves a note in the conversation, and the membership cache
 * forgets what it changed once it has committed.
 */
/** Who has an account, by id: the users module's cached profile directory. */
export interface ProfileLookup {
  profilesOf(userIds: string[]): Promise<UserProfile[]>;
}

export function createGroups(deps: {
  repo: ConversationRepo;
  log: EventLog;
  clock: Clock;
  logger: Logger;
  /** The membership cache, told what each change altered once it has committed. */
  membership: { forget(conversationId: string, userIds: string[]): Promise<void> };
  /** Who has an account (cached). */
  profiles: ProfileLookup;
  /** The caller's summary of a conversation, which every change answers with. */
  summaryOf: (userId: string, conversationId: string) => Promise<ConversationSummary>;
  /** Told, after the commit, who joined; not awaited (see `createConversationService`). */
  onJoined: (conversationId: string, userIds: string[]) => Promise<void>;
}) {
  const { repo, log, clock, logger, membership, summaryOf } = deps;
  const now = () => new Date(clock.now());

  /** A role changed: its note, and every member's summary to fetch again (one of them has a new role). */
  async function noteRoleChange(
    on: ConversationRepo,
    conversationId: string,
    event: Extract<SystemEvent, { kind: 'role_changed' | 'owner_changed' }>,
  ): Promise<PendingEvent[]> {
    const notes = await appendNotes(on, conversationId, [event.by], [event], now());
    return [
      { conversationId, kind: 'conversation_updated', event: { kind: 'conversation_updated', conversationId } },
      ...notes.map((row) => messageEvent(row)),
    ];
  }

  /** Only after the membership cache forgot: whoever is told reads the new members. */
  function tellJoined(conversationId: string, userIds: string[]) {
    if (userIds.length === 0) return;
    deps
      .onJoined(conversationId, userIds)
      .catch((error) => logger.warn({ err: error, conversationId }, 'cannot tell who joined the conversation'));
  }

  /**
   * For a change to a group's membership or name: locks the conversation
   * (changes to one group queue up), checks the caller is a member, and
   * refuses a direct conversation with `whenDirect`. Returns the caller's role.
   */
  async function requireUsers(userIds: string[]) {
    const found = await deps.profiles.profilesOf(userIds);
    if (found.length !== userIds.length) {
      throw new AppError('NOT_FOUND', 'Some of those people do not have an account here.');
    }
  }

  /** Creates a conversation with its members and its "created" note; every member is told. */
  async function startConversation(
    conversation: { id: string; kind: 'direct' | 'group'; createdBy: string; title?: string; directKey?: string },
    members: { userId: string; role: MemberRole }[],
  ) {
    await log.write(async (tx) => {
      const on = createConversationRepo(tx);
      const at = now();
      await on.insertConversation({ ...conversation, createdAt: at, updatedAt: at });
      await on.addMembers(conversation.id, members, at);
      const notes = await appendNotes(
        on,
        conversation.id,
        [conversation.createdBy, ...members.map(({ userId }) => userId)],
        [{ kind: 'created', by: conversation.createdBy }],
        at,
      );
      return {
        result: undefined,
        events: [
          ...members.map((member) => joinedEvent(conversation.id, member.userId)),
          ...notes.map((row) => messageEvent(row)),
        ],
      };
    });
    // Someone may have probed it before it existed: "not a member" was cached.
    const memberIds = members.map((member) => member.userId);
    await membership.forget(conversation.id, memberIds);
    tellJoined(conversation.id, memberIds);
  }

  return {
    /** The direct conversation of the two, made on first use. */
    async createDirect(userId: string, otherUserId: string): Promise<ConversationSummary> {
      if (otherUserId === userId) throw new AppError('INVALID_INPUT', 'Pick someone other than yourself.');
      await requireUsers([otherUserId]);
      const directKey = [userId, otherUserId].sort().join(':');
      const existing = await repo.findDirect(directKey);
      if (existing) return summaryOf(userId, existing.id);
      const id = uuidv7();
      try {
        await startConversation(
          { id, kind: 'direct', directKey, createdBy: userId },
          [userId, otherUserId].map((member) => ({ userId: member, role: 'member' as const })),
        );
      } catch (error) {
        // The other person started it at the same moment: theirs is ours.
        if (violatedUniqueConstraint(error) !== 'conversations_direct_key') throw error;
        const raced = await repo.findDirect(directKey);
        if (!raced) throw error;
        return summaryOf(userId, raced.id);
      }
      return summaryOf(userId, id);
    },

    async createGroup(userId: string, input: { title: string; memberIds: string[] }): Promise<ConversationSummary> {
      const others = [...new Set(input.memberIds)].filter((id) => id !== userId);
      await requireUsers(others);
      const id = uuidv7();
      await startConversation({ id, kind: 'group', title: input.title, createdBy: userId }, [
        { userId, role: 'owner' },
        ...others.map((other) => ({ userId: other, role: 'member' as const })),
      ]);
      return summaryOf(userId, id);
    },

    async addMembers(userId: string, conversationId: string, userIds: string[]): Promise<ConversationSummary> {
      const wanted = [...new Set(userIds)];
      await requireUsers(wanted);
      const added = await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const { role } = await lockGroup(on, conversationId, userId, DIRECT_STAYS_BETWEEN_TWO);
        if (!canManage(role)) throw new AppError('FORBIDDEN', 'Only the group’s owner and admins can add people.');
        if ((await on.memberCount(conversationId)) + wanted.length > GROUP_MAX_MEMBERS) {
          throw new AppError('INVALID_INPUT', `Groups have at most ${GROUP_MAX_MEMBERS} members.`);
        }
        const at = now();
        const added = await on.addMembers(
          conversationId,
          wanted.map((id) => ({ userId: id, role: 'member' as const })),
          at,
        );
        const notes = await appendNotes(
          on,
          conversationId,
          [userId, ...added],
          added.map((id) => ({ kind: 'member_added', by: userId, userId: id })),
          at,
        );
        return {
          result: added,
          events: [...added.map((id) => joinedEvent(conversationId, id)), ...notes.map((row) => messageEvent(row))],
        };
      });
      await membership.forget(conversationId, added);
      tellJoined(conversationId, added);
      return summaryOf(userId, conversationId);
    },

    /** Removes someone (owners and admins), or the caller themself (leaving). */
    async removeMember(userId: string, conversationId: string, memberId: string): Promise<void> {
      const changed = await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const { role } = await lockGroup(on, conversationId, userId, DIRECT_STAYS_BETWEEN_TWO);
        const isLeaving = memberId === userId;
        const targetRole = isLeaving ? role : await on.roleOf(conversationId, memberId);
        if (!targetRole) throw new AppError('NOT_FOUND', 'That person is not in this group.');
        if (
          !isLeaving &&
          (!canManage(role) || targetRole === 'owner' || (role === 'admin' && targetRole === 'admin'))
        ) {
          throw new AppError('FORBIDDEN', 'You cannot remove that person from this group.');
        }
        await on.removeMember(conversationId, memberId);
        const promoted = isLeaving && role === 'owner' ? await on.promoteLongestStanding(conversationId) : undefined;
        const event: SystemEvent = isLeaving
          ? { kind: 'member_left', userId }
          : { kind: 'member_removed', by: userId, userId: memberId };
        const notes = await appendNotes(on, conversationId, [userId], [event], now());
        // The note first, while they still receive the conversation; then they leave it.
        return {
          result: promoted ? [memberId, promoted] : [memberId],
          events: [...notes.map((row) => messageEvent(row)), leftEvent(conversationId, memberId)],
        };
      });
      await membership.forget(conversationId, changed);
    },

    /**
     * Makes a member an admin (the owner and admins may), or an admin a member
     * again (the owner may, and an admin of themself: stepping down). Asking
     * for the role someone has changes nothing.
     */
    async setRole(
      userId: string,
      input: { conversationId: string; userId: string; role: 'admin' | 'member' },
    ): Promise<ConversationSummary> {
      const { conversationId } = input;
      const changed = await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const { role } = await lockGroup(on, conversationId, userId, 'Direct conversations have no admins.');
        const targetRole = await on.roleOf(conversationId, input.userId);
        if (!targetRole) throw new AppError('NOT_FOUND', 'That person is not in this group.');
        if (targetRole === 'owner') {
          throw new AppError('INVALID_INPUT', 'The owner stays the owner until they hand the group to someone else.');
        }
        const isSteppingDown = input.userId === userId && input.role === 'member';
        const mayChange = input.role === 'admin' ? canManage(role) : role === 'owner' || isSteppingDown;
        if (!mayChange) {
          throw new AppError(
            'FORBIDDEN',
            input.role === 'admin'
              ? 'Only the group’s owner and admins can make someone an admin.'
              : 'Only the group’s owner can take someone’s admin role away.',
          );
        }
        if (targetRole === input.role) return { result: [], events: [] };
        await on.setRole(conversationId, input.userId, input.role);
        return {
          result: [input.userId],
          events: await noteRoleChange(on, conversationId, {
            kind: 'role_changed',
            by: userId,
            userId: input.userId,
            role: input.role,
          }),
        };
      });
      await membership.forget(conversationId, changed);
      return summaryOf(userId, conversationId);
    },

    /** The owner hands the group to another member, and stays on as an admin. */
    async transferOwnership(userId: string, input: { conversationId: string; userId: string }) {
      const { conversationId } = input;
      await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const { role } = await lockGroup(on, conversationId, userId, 'Direct conversations have no owner.');
        if (role !== 'owner') throw new AppError('FORBIDDEN', 'Only the group’s owner can hand it to someone else.');
        if (input.userId === userId) throw new AppError('INVALID_INPUT', 'You are the owner already.');
        if (!(await on.roleOf(conversationId, input.userId))) {
          throw new AppError('NOT_FOUND', 'That person is not in this group.');
        }
        await on.setRole(conversationId, input.userId, 'owner');
        await on.setRole(conversationId, userId, 'admin');
        return {
          result: undefined,
          events: await noteRoleChange(on, conversationId, { kind: 'owner_changed', by: userId, userId: input.userId }),
        };
      });
      await membership.forget(conversationId, [userId, input.userId]);
      return summaryOf(userId, conversationId);
    },

    async rename(userId: string, conversationId: string, title: string): Promise<ConversationSummary> {
      await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const { role } = await lockGroup(on, conversationId, userId, 'Only groups have a name to change.');
        if (!canManage(role)) throw new AppError('FORBIDDEN', 'Only the group’s owner and admins can rename it.');
        const at = now();
        await on.renameConversation(conversationId, title, at);
        const notes = await appendNotes(on, conversationId, [userId], [{ kind: 'renamed', by: userId, title }], at);
        return {
          result: undefined,
          events: [
            { conversationId, kind: 'conversation_updated', event: { kind: 'conversation_updated', conversationId } },
            ...notes.map((row) => messageEvent(row)),
          ],
        };
      });
      return summaryOf(userId, conversationId);
    },
  };
}
