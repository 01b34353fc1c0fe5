import {
  type AttachmentFacts,
  type ConversationSummary,
  GROUP_MAX_MEMBERS,
  type HistoryPage,
  type MemberReceipt,
  type MemberRole,
  type Message,
  type MessageContent,
  type SystemEvent,
  type TSendMessageInput,
  type TTextContentInput,
  type UserEvent,
} from '@gopherchat/api';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import { createGroupCommit } from '../../lib/group-commit.ts';
import type { TokenBuckets } from '../../lib/token-buckets.ts';
import type { Cache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { Database, PipelinedTransaction, Statement } from '../../platform/database/index.ts';
import { isRefusedData, violatedUniqueConstraint } from '../../platform/database/index.ts';
import type { Metrics } from '../../platform/metrics/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import type { ProfileDirectory } from '../users/index.ts';
import type { EventHub } from './event-hub.ts';
import type { EventLog, LogEntry, PendingEvent } from './event-log.ts';
import { createMembershipCache } from './membership-cache.ts';
import {
  type ConversationRepo,
  conversationStatements,
  createConversationRepo,
  type MessageRow,
  type PointerRow,
  type PointerUpdate,
  placeAfter,
  type SummaryRow,
} from './repo.ts';

/** A subscriber further behind than this many events reloads instead of replaying. */
const MAX_REPLAY_EVENTS = 5_000;
const REPLAY_PAGE = 200;
const RESYNC_JSON = JSON.stringify({ kind: 'resync' } satisfies UserEvent);
const DIRECT_STAYS_BETWEEN_TWO = 'Direct conversations stay between two people.';

const NOT_A_MEMBER = 'That conversation does not exist, or you are not in it.';

/**
 * Where a subscriber's events go: `push` queues one (its id, its JSON);
 * events pushed together leave together, as one batch tracked by the last id.
 */
export interface EventSink {
  /** `isDroppable`: may be skipped while the subscriber's socket is backed up (typing and the like). */
  push(id: string, eventJson: string, isDroppable?: boolean): void;
  /** Resolves once the subscriber can take more: a long replay waits here between pages. */
  writable(): Promise<void>;
  /** Aborts when the subscriber goes away. */
  readonly signal: AbortSignal;
}

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    clientMessageId: row.clientMessageId,
    content: row.content as MessageContent,
    replyToSeq: row.replyToSeq,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

/** JSON with object keys sorted: jsonb does not keep key order, so compare contents this way. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

const messageEvent = (row: MessageRow, kind: 'message' | 'message_updated' = 'message'): PendingEvent => ({
  conversationId: row.conversationId,
  kind,
  event: { kind, message: toMessage(row) },
});

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

const systemEntry = (event: SystemEvent, at: Date) => ({
  id: uuidv7(),
  senderId: null,
  clientMessageId: null,
  content: { type: 'system', event } satisfies MessageContent,
  replyToSeq: null,
  createdAt: at,
});

export interface StreamOptions {
  /**
   * Events a subscriber gets first once live (e.g. who is online now). Read
   * after registering with the hub, which holds live signals from then on
   * and forwards them after it: no change between the two is lost.
   */
  greeting?: () => Promise<string[]>;
}

/** A send as it is stored: an attachment's facts filled in, its id kept to claim it in the transaction. */
interface SendRequest extends Omit<TSendMessageInput, 'content'> {
  senderId: string;
  content: MessageContent;
  attachmentId?: string;
}

/** What messages need of the attachments module (a port: it owns the attachments table). */
export interface AttachmentsForMessages {
  /** The facts of an upload the sender may attach; a clear AppError otherwise. */
  factsForSend(senderId: string, attachmentId: string): Promise<AttachmentFacts>;
  /**
   * The statement that, in the send's transaction, ties each attachment to
   * the conversation it is sent to. It reads the ids it claimed; the others
   * were shared elsewhere, deleted or failed meanwhile.
   */
  claim(claims: { attachmentId: string; ownerId: string; conversationId: string }[]): Statement<Set<string>>;
  /** In the transaction deleting its message: forgets the attachment; returns its objects, to delete after commit. */
  release(tx: Database, attachmentId: string): Promise<string[]>;
  /** Never throws: a leftover object is only wasted space. */
  deleteObjects(keys: string[]): Promise<void>;
}

/** One update per member and conversation: the furthest of each pointer asked for. */
function furthestPointers(updates: PointerUpdate[]): PointerUpdate[] {
  const byMember = new Map<string, PointerUpdate>();
  for (const update of updates) {
    const key = `${update.conversationId}/${update.userId}`;
    const known = byMember.get(key);
    byMember.set(
      key,
      known
        ? {
            ...known,
            deliveredSeq: Math.max(known.deliveredSeq, update.deliveredSeq),
            readSeq: Math.max(known.readSeq, update.readSeq),
          }
        : update,
    );
  }
  return [...byMember.values()];
}

/** One event per conversation whose pointers moved, listing every member's that did. */
function receiptEvents(moved: PointerRow[]): PendingEvent[] {
  const byConversation = new Map<string, MemberReceipt[]>();
  for (const row of moved) {
    const receipts = byConversation.get(row.conversationId) ?? [];
    receipts.push({ userId: row.userId, lastDeliveredSeq: row.lastDeliveredSeq, lastReadSeq: row.lastReadSeq });
    byConversation.set(row.conversationId, receipts);
  }
  return [...byConversation].map(([conversationId, receipts]) => ({
    conversationId,
    kind: 'receipts',
    event: { kind: 'receipts', conversationId, receipts },
  }));
}

const canManage = (role: MemberRole | undefined) => role === 'owner' || role === 'admin';

/**
 * Conversations and messages. Every change goes through the event log's
 * `write` (one transaction that also appends the live events); sends are
 * group-committed, and acknowledged only once their batch has committed.
 */
export function createConversationService(deps: {
  db: Database;
  log: EventLog;
  hub: EventHub;
  clock: Clock;
  logger: Logger;
  /** How long the event log keeps entries for subscribers to resume from. */
  eventRetentionMs: number;
  /** How long a send waits for others to share its transaction. */
  sendWindowMs?: number;
  /** How long a receipt waits for others to share its transaction (and its conversation's event). */
  receiptWindowMs: number;
  /** Typing signals per person. */
  typingLimit: RateLimiter;
  /**
   * Sends per sender (checked before a send queues) and per conversation
   * (checked in the batch, once the sender is known to be a member: an
   * outsider cannot spend a conversation's budget).
   */
  sendLimits: { perSender: TokenBuckets; perConversation: TokenBuckets };
  cache: Cache;
  /** How long membership stays cached; 0: not cached. */
  cacheTtlMs: number;
  metrics: Metrics;
  /** Who has an account (cached). */
  profiles: Pick<ProfileDirectory, 'profilesOf'>;
  attachments: AttachmentsForMessages;
  /**
   * Told, after the commit, who joined a conversation: every member of a new
   * one, those added to a group. Not awaited: the change does not wait for
   * it (presence introductions).
   */
  onJoined: (conversationId: string, userIds: string[]) => Promise<void>;
}) {
  const { db, log, hub, clock, logger, eventRetentionMs } = deps;
  const repo = createConversationRepo(db);
  const membership = createMembershipCache({
    repo,
    cache: deps.cache,
    ttlMs: deps.cacheTtlMs,
    metrics: deps.metrics,
    logger,
  });
  const now = () => new Date(clock.now());

  /** Only after the membership cache forgot: whoever is told reads the new members. */
  function tellJoined(conversationId: string, userIds: string[]) {
    if (userIds.length === 0) return;
    deps
      .onJoined(conversationId, userIds)
      .catch((error) => logger.warn({ err: error, conversationId }, 'cannot tell who joined the conversation'));
  }

  async function requireRole(
    on: Pick<ConversationRepo, 'roleOf'>,
    conversationId: string,
    userId: string,
  ): Promise<MemberRole> {
    const role = await on.roleOf(conversationId, userId);
    if (!role) throw new AppError('NOT_FOUND', NOT_A_MEMBER);
    return role;
  }

  /**
   * For a change to a group's membership or name: locks the conversation
   * (changes to one group queue up), checks the caller is a member, and
   * refuses a direct conversation with `whenDirect`. Returns the caller's role.
   */
  async function lockGroup(on: ConversationRepo, conversationId: string, userId: string, whenDirect: string) {
    const conversation = await on.lockConversation(conversationId);
    const role = await requireRole(on, conversationId, userId);
    if (conversation?.kind !== 'group') throw new AppError('INVALID_INPUT', whenDirect);
    return role;
  }

  async function requireUsers(userIds: string[]) {
    const found = await deps.profiles.profilesOf(userIds);
    if (found.length !== userIds.length) {
      throw new AppError('NOT_FOUND', 'Some of those people do not have an account here.');
    }
  }

  async function summarise(userId: string, rows: SummaryRow[]): Promise<ConversationSummary[]> {
    const directIds = rows.filter((row) => row.conversation.kind === 'direct').map((row) => row.conversation.id);
    const peers = new Map((await repo.peersOf(directIds, userId)).map((row) => [row.conversationId, row.peer]));
    return rows.map((row) => {
      const peer = peers.get(row.conversation.id) ?? null;
      return {
        id: row.conversation.id,
        kind: row.conversation.kind,
        title: row.conversation.title ?? peer?.displayName ?? 'Conversation',
        peer,
        memberCount: row.memberCount,
        myRole: row.myRole,
        lastSeq: row.conversation.lastSeq,
        lastDeliveredSeq: row.lastDeliveredSeq,
        lastReadSeq: row.lastReadSeq,
        unreadCount: Math.max(0, row.conversation.lastSeq - row.lastReadSeq),
        lastMessage: row.lastMessage ? toMessage(row.lastMessage) : null,
        createdAt: row.conversation.createdAt.toISOString(),
      };
    });
  }

  async function summaryOf(userId: string, conversationId: string): Promise<ConversationSummary> {
    const [summary] = await summarise(userId, await repo.listSummaries(userId, conversationId));
    if (!summary) throw new AppError('NOT_FOUND', NOT_A_MEMBER);
    return summary;
  }

  /**
   * Writes what someone did as notes in the conversation. They have seen
   * them, like their own messages: their pointers move past them, so their
   * own doings never count as unread.
   */
  async function appendNotes(on: ConversationRepo, conversationId: string, actorId: string, events: SystemEvent[]) {
    const at = now();
    const notes = await on.appendMessages(
      conversationId,
      events.map((event) => systemEntry(event, at)),
      at,
    );
    const last = notes.at(-1);
    if (last) {
      await on.advancePointers([{ conversationId, userId: actorId, deliveredSeq: last.seq, readSeq: last.seq }]);
    }
    return notes;
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
      const notes = await appendNotes(on, conversation.id, conversation.createdBy, [
        { kind: 'created', by: conversation.createdBy },
      ]);
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

  /**
   * Claims the attachments of the batch's fresh sends; a send whose file can
   * no longer be attached gets an error and leaves `freshByConversation`.
   */
  async function claimAttachments(
    tx: PipelinedTransaction,
    batch: SendRequest[],
    freshByConversation: Map<string, number[]>,
    outcomes: Array<Message | Error | undefined>,
  ) {
    const withFiles = [...freshByConversation.values()].flat().filter((index) => batch[index]?.attachmentId);
    if (withFiles.length === 0) return;
    const [claimed] = await tx.send([
      deps.attachments.claim(
        withFiles.map((index) => {
          const request = batch[index] as SendRequest;
          return {
            attachmentId: request.attachmentId as string,
            ownerId: request.senderId,
            conversationId: request.conversationId,
          };
        }),
      ),
    ]);
    for (const index of withFiles) {
      const request = batch[index] as SendRequest;
      if (claimed.has(request.attachmentId as string)) continue;
      outcomes[index] = new AppError(
        'CONFLICT',
        'That file was already shared elsewhere, or is gone. Upload it again.',
      );
      const indexes = freshByConversation.get(request.conversationId) ?? [];
      freshByConversation.set(
        request.conversationId,
        indexes.filter((other) => other !== index),
      );
    }
  }

  /** Writes one batch of sends in one transaction of two round trips; each request gets its message or its error. */
  async function flushSends(batch: SendRequest[]): Promise<Array<Message | Error>> {
    return log.writePipelined(async (tx) => {
      const at = now();
      const keyOf = (request: { senderId: string | null; clientMessageId: string | null }) =>
        `${request.senderId}/${request.clientMessageId}`;
      // With the log's lock and BEGIN: one round trip.
      const [sentBefore, memberships, lastSeqs] = await tx.send([
        conversationStatements.findByClientIds(batch),
        conversationStatements.existingMemberships(
          batch.map((request) => ({ conversationId: request.conversationId, userId: request.senderId })),
        ),
        conversationStatements.lastSeqs([...new Set(batch.map((request) => request.conversationId))]),
      ]);
      const originals = new Map(sentBefore.map((row) => [keyOf(row), row]));
      const isRetryOf = (row: MessageRow, request: SendRequest) =>
        row.conversationId === request.conversationId &&
        canonicalJson(row.content) === canonicalJson(request.content) &&
        (row.replyToSeq ?? undefined) === request.replyToSeq;
      const conflict = () =>
        new AppError('CONFLICT', 'That message id was already used for a different message. Send it with a new id.');

      const outcomes: Array<Message | Error | undefined> = new Array(batch.length);
      const firstIndexByKey = new Map<string, number>();
      const freshByConversation = new Map<string, number[]>();
      batch.forEach((request, index) => {
        const key = keyOf(request);
        const original = originals.get(key);
        if (original) {
          outcomes[index] = isRetryOf(original, request) ? toMessage(original) : conflict();
        } else if (firstIndexByKey.has(key)) {
          // Resolved below, against the first copy's row.
        } else if (!memberships.has(`${request.conversationId}/${request.senderId}`)) {
          outcomes[index] = new AppError('NOT_FOUND', NOT_A_MEMBER);
        } else if (!deps.sendLimits.perConversation.take(request.conversationId).isAllowed) {
          outcomes[index] = new AppError(
            'RATE_LIMITED',
            'This conversation is getting more messages than the server takes. Yours will go in a moment.',
          );
        } else if (
          request.replyToSeq !== undefined &&
          request.replyToSeq > (lastSeqs.get(request.conversationId) ?? 0)
        ) {
          outcomes[index] = new AppError('INVALID_INPUT', 'The message you replied to does not exist.');
        } else {
          firstIndexByKey.set(key, index);
          const indexes = freshByConversation.get(request.conversationId) ?? [];
          indexes.push(index);
          freshByConversation.set(request.conversationId, indexes);
        }
      });

      await claimAttachments(tx, batch, freshByConversation, outcomes);
      const fresh = [...freshByConversation].filter(([, indexes]) => indexes.length > 0);
      // Read under the log's lock, which every writer of `last_seq` holds: the next seqs are these plus one.
      const seqBefore = (conversationId: string) => lastSeqs.get(conversationId) ?? 0;
      const placed = fresh.map(([conversationId, indexes]) =>
        placeAfter(
          conversationId,
          seqBefore(conversationId),
          indexes.map((index) => {
            const request = batch[index] as SendRequest;
            return {
              id: uuidv7(),
              senderId: request.senderId,
              clientMessageId: request.clientMessageId,
              content: request.content,
              replyToSeq: request.replyToSeq ?? null,
              createdAt: at,
            };
          }),
        ),
      );
      const events: PendingEvent[] = [];
      const rowsByIndex = new Map<number, MessageRow>();
      // A sender has read what they sent: their newest message in each conversation.
      const readPointers = new Map<string, PointerUpdate>();
      fresh.forEach(([conversationId, indexes], position) => {
        placed[position]?.forEach((row, offset) => {
          const index = indexes[offset] as number;
          rowsByIndex.set(index, row);
          outcomes[index] = toMessage(row);
          events.push(messageEvent(row));
          if (row.senderId)
            readPointers.set(`${conversationId}/${row.senderId}`, {
              conversationId,
              userId: row.senderId,
              deliveredSeq: row.seq,
              readSeq: row.seq,
            });
        });
      });
      // Sent with the log's insert and COMMIT. In this order: the pointers' cap (the conversation's last seq)
      // must already count this batch.
      const writes = [
        conversationStatements.recordLastSeqs(
          fresh.map(([conversationId, indexes]) => ({
            conversationId,
            lastSeq: seqBefore(conversationId) + indexes.length,
          })),
          at,
        ),
        conversationStatements.insertMessages(placed.flat()),
        conversationStatements.advancePointers([...readPointers.values()]),
      ];
      batch.forEach((request, index) => {
        if (outcomes[index] !== undefined) return;
        const first = rowsByIndex.get(firstIndexByKey.get(keyOf(request)) ?? -1);
        outcomes[index] = first && isRetryOf(first, request) ? toMessage(first) : conflict();
      });
      return { result: outcomes as Array<Message | Error>, events, writes };
    });
  }

  const sends = createGroupCommit<SendRequest, Message>({
    flush: flushSends,
    windowMs: deps.sendWindowMs ?? 2,
    maxBatch: 256,
    now: () => clock.now(),
    // Inputs are checked before they get here; this keeps a value PostgreSQL still refuses to its own send.
    isolate: {
      isInputFault: isRefusedData,
      asRefusal: (error) =>
        new AppError('INVALID_INPUT', 'That message could not be saved as written. Change it and send again.', {
          cause: error,
        }),
    },
  });

  /**
   * Receipts arrive for nearly every message each member receives, so they
   * wait longer than sends for company: one transaction and one event per
   * conversation carry every pointer that moved meanwhile.
   */
  const pointerUpdates = createGroupCommit<PointerUpdate, void>({
    flush: async (batch) => {
      await log.write(async (tx) => {
        const moved = await createConversationRepo(tx).advancePointers(furthestPointers(batch));
        return { result: undefined, events: receiptEvents(moved) };
      });
      return batch.map(() => undefined);
    },
    windowMs: deps.receiptWindowMs,
    maxBatch: 1_000,
  });

  return {
    /** How long the send batch in flight has been writing (0: none is); see readiness. */
    sendsStalledForMs: () => sends.stalledForMs(),

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
        const role = await lockGroup(on, conversationId, userId, DIRECT_STAYS_BETWEEN_TWO);
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
          userId,
          added.map((id) => ({ kind: 'member_added', by: userId, userId: id })),
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
        const role = await lockGroup(on, conversationId, userId, DIRECT_STAYS_BETWEEN_TWO);
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
        const notes = await appendNotes(on, conversationId, userId, [event]);
        // The note first, while they still receive the conversation; then they leave it.
        return {
          result: promoted ? [memberId, promoted] : [memberId],
          events: [...notes.map((row) => messageEvent(row)), leftEvent(conversationId, memberId)],
        };
      });
      await membership.forget(conversationId, changed);
    },

    async rename(userId: string, conversationId: string, title: string): Promise<ConversationSummary> {
      await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const role = await lockGroup(on, conversationId, userId, 'Only groups have a name to change.');
        if (!canManage(role)) throw new AppError('FORBIDDEN', 'Only the group’s owner and admins can rename it.');
        const at = now();
        await on.renameConversation(conversationId, title, at);
        const notes = await appendNotes(on, conversationId, userId, [{ kind: 'renamed', by: userId, title }]);
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

    async list(userId: string): Promise<ConversationSummary[]> {
      return summarise(userId, await repo.listSummaries(userId));
    },

    async get(userId: string, conversationId: string): Promise<ConversationSummary> {
      return summaryOf(userId, conversationId);
    },

    conversationIdsOf: (userId: string) => membership.conversationIdsOf(userId),
    contactsOf: (userId: string) => repo.contactsOf(userId),
    memberIdsOf: (conversationId: string) => membership.memberIdsOf(conversationId),

    /** Tells the others in the conversation, live, that `userId` is typing (or stopped). Never stored. */
    async typing(userId: string, input: { conversationId: string; isTyping: boolean }): Promise<void> {
      await requireRole(membership, input.conversationId, userId);
      const decision = await deps.typingLimit.consume(userId);
      if (!decision.isAllowed) {
        throw new AppError('RATE_LIMITED', 'Typing signals are coming too fast; slow down a little.');
      }
      await hub.signal({
        conversationIds: [input.conversationId],
        exceptUserId: userId,
        payload: JSON.stringify({ kind: 'typing', userId, ...input } satisfies UserEvent),
        isDroppable: true,
      });
    },

    async members(userId: string, conversationId: string) {
      await requireRole(membership, conversationId, userId);
      return repo.listMembers(conversationId);
    },

    /** Durable when it resolves. A retry with the same client id resolves to the original message. */
    async send(userId: string, input: TSendMessageInput): Promise<Message> {
      if (!deps.sendLimits.perSender.take(userId).isAllowed) {
        throw new AppError(
          'RATE_LIMITED',
          'You are sending messages faster than the server takes. They will go in a moment.',
        );
      }
      const { content } = input;
      if (content.type === 'text') return sends.submit({ ...input, content, senderId: userId });
      const attachment = await deps.attachments.factsForSend(userId, content.attachmentId);
      return sends.submit({
        ...input,
        content: { type: 'attachment', attachment, caption: content.caption || null },
        attachmentId: attachment.id,
        senderId: userId,
      });
    },

    /**
     * The reader's client has received these messages. Conversations the
     * reader has left since are skipped: a receipt racing a removal is moot.
     */
    async markDelivered(userId: string, pointers: { conversationId: string; seq: number }[]): Promise<void> {
      await Promise.all(
        pointers.map((pointer) =>
          pointerUpdates.submit({
            conversationId: pointer.conversationId,
            userId,
            deliveredSeq: pointer.seq,
            readSeq: 0,
          }),
        ),
      );
    },

    /** The reader has seen the conversation up to `seq` (which also marks it delivered). */
    async markRead(userId: string, pointer: { conversationId: string; seq: number }): Promise<void> {
      await requireRole(membership, pointer.conversationId, userId);
      await pointerUpdates.submit({
        conversationId: pointer.conversationId,
        userId,
        deliveredSeq: 0,
        readSeq: pointer.seq,
      });
    },

    async edit(userId: string, input: { conversationId: string; seq: number; content: TTextContentInput }) {
      return log.write(async (tx) => {
        const on = createConversationRepo(tx);
        await requireRole(on, input.conversationId, userId);
        const row = await on.lockMessage(input.conversationId, input.seq);
        if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
        if (row.senderId !== userId) throw new AppError('FORBIDDEN', 'You can only edit your own messages.');
        if (row.deletedAt) throw new AppError('INVALID_INPUT', 'That message was deleted.');
        if ((row.content as MessageContent).type !== 'text') {
          throw new AppError('INVALID_INPUT', 'Only text can be edited; delete the file and send it again.');
        }
        const updated = await on.updateMessage(input.conversationId, input.seq, {
          content: input.content,
          editedAt: now(),
        });
        return { result: toMessage(updated), events: [messageEvent(updated, 'message_updated')] };
      });
    },

    /** Leaves a tombstone: the text (or file) is gone, the place in the conversation stays. */
    async delete(userId: string, input: { conversationId: string; seq: number }) {
      const { message, releasedObjects } = await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const role = await requireRole(on, input.conversationId, userId);
        const row = await on.lockMessage(input.conversationId, input.seq);
        if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
        if (row.deletedAt) return { result: { message: toMessage(row), releasedObjects: [] }, events: [] };
        if (row.senderId !== userId && !canManage(role)) {
          throw new AppError('FORBIDDEN', 'You can only delete your own messages.');
        }
        const content = row.content as MessageContent;
        const releasedObjects =
          content.type === 'attachment' ? await deps.attachments.release(tx, content.attachment.id) : [];
        const updated = await on.updateMessage(input.conversationId, input.seq, {
          content: { type: 'deleted' },
          deletedAt: now(),
        });
        return {
          result: { message: toMessage(updated), releasedObjects },
          events: [messageEvent(updated, 'message_updated')],
        };
      });
      // Only once the deletion has committed: a rollback must not leave a message without its file.
      await deps.attachments.deleteObjects(releasedObjects);
      return message;
    },

    async history(
      userId: string,
      input: { conversationId: string; before?: number; after?: number; limit: number },
    ): Promise<HistoryPage> {
      await requireRole(membership, input.conversationId, userId);
      const page = await repo.history(input.conversationId, input);
      return { messages: page.rows.map(toMessage), hasMore: page.hasMore };
    },

    /** Forgets log entries older than the retention; a subscriber that far behind is told to resync. */
    pruneEvents(): Promise<number> {
      return log.pruneBefore(new Date(clock.now() - eventRetentionMs));
    },

    /**
     * Pushes every event addressed to `userId` into `sink`, exactly once and
     * in order, from `after` (the last event id the client has) or from now,
     * until the sink's signal aborts. Registers with this instance's hub
     * first, then replays the log from the cursor, then forwards what the hub
     * dispatches, skipping what the replay already sent. A client too far
     * behind gets `resync` instead of the replay.
     */
    async streamEvents(
      userId: string,
      after: bigint | undefined,
      sink: EventSink,
      options: StreamOptions = {},
    ): Promise<void> {
      const listener = hub.register(userId);
      const stop = () => listener.close();
      sink.signal.addEventListener('abort', stop, { once: true });
      try {
        // From the database, not the cache: what the listener joins decides what it is sent.
        listener.joinAll(await repo.conversationIdsOf(userId));
        let cursor = after ?? listener.startId;
        const send = (entry: LogEntry) => {
          if (entry.id <= cursor) return;
          cursor = entry.id;
          sink.push(entry.idText, entry.payload);
        };
        // A signal rides on the id of the last entry sent: resuming from it neither skips nor repeats entries.
        const signal = (payload: string, isDroppable: boolean) => sink.push(cursor.toString(), payload, isDroppable);
        let { greeting } = options;
        /** Tells the client to reload instead of replaying; the stream continues from the head. */
        const resync = async () => {
          cursor = await log.readHeadId();
          sink.push(cursor.toString(), RESYNC_JSON);
        };
        if (after !== undefined) {
          const head = await log.readHeadId();
          if (after > head || (await log.countAfterFor(userId, after, MAX_REPLAY_EVENTS + 1)) > MAX_REPLAY_EVENTS) {
            await resync();
          }
        }
        // Replays from the log first, and again whenever the hub had to drop this listener's queue.
        for (;;) {
          for (let isFirstPage = true; ; isFirstPage = false) {
            const page = await log.readAfterFor(userId, cursor, REPLAY_PAGE);
            // Checked after the read, so pruning that raced it shows: entries past the cursor are gone.
            if (isFirstPage && (await log.readHorizon()) > cursor) {
              await resync();
              break;
            }
            for (const entry of page) send(entry);
            if (page.length < REPLAY_PAGE) break;
            await sink.writable();
          }
          if (greeting) {
            // The last read before forwarding: the signals held since registration, newer news, follow it.
            for (const payload of await greeting()) sink.push(cursor.toString(), payload);
            greeting = undefined;
          }
          const queued = listener.forward({ entry: send, signal });
          if (queued !== 'overflowed') {
            for (const entry of queued) send(entry);
            break;
          }
          logger.warn({ userId }, 'event listener overflowed; replaying from the log');
        }
        await listener.closed;
      } finally {
        sink.signal.removeEventListener('abort', stop);
        listener.close();
      }
    },
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
