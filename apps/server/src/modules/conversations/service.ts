import type { Message } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { TokenBuckets } from '../../lib/token-buckets.ts';
import type { Cache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { Database } from '../../platform/database/index.ts';
import type { Metrics } from '../../platform/metrics/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import type { AvatarPictures } from '../avatars/index.ts';
import type { AttachmentsForMessages } from './attachments-port.ts';
import { createConversationReads } from './conversation-reads.ts';
import type { EventHub } from './event-hub.ts';
import type { EventLog } from './event-log.ts';
import { createEventStream } from './event-stream.ts';
import { createForwards } from './forwards.ts';
import { createGroupPictures } from './group-pictures.ts';
import { createGroups, type ProfileLookup } from './groups.ts';
import { createLinkPreviewJobs, type PreviewsForMessages } from './link-preview-jobs.ts';
import { createMembershipCache } from './membership-cache.ts';
import { createMessageChanges } from './message-changes.ts';
import { createPins } from './pins.ts';
import { createReactions } from './reactions.ts';
import { createReceipts } from './receipts.ts';
import { createConversationRepo } from './repo.ts';
import { createSavedMessages } from './saved.ts';
import { createSends } from './sends.ts';
import { createTyping } from './typing.ts';

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
  profiles: ProfileLookup;
  attachments: AttachmentsForMessages;
  /** Reads linked pages for preview cards; undefined: previews are off. */
  previews?: PreviewsForMessages;
  /** Pages read at once for previews. */
  previewConcurrency?: number;
  /** Group pictures: made from uploads, kept in the object store. */
  avatars: AvatarPictures;
}) {
  const { db, log, hub, clock, logger, attachments } = deps;
  const repo = createConversationRepo(db);
  let onJoined = async (_conversationId: string, _userIds: string[]) => {};
  const membership = createMembershipCache({
    repo,
    cache: deps.cache,
    ttlMs: deps.cacheTtlMs,
    metrics: deps.metrics,
    logger,
  });
  const reads = createConversationReads({ repo, membership });
  const groups = createGroups({
    repo,
    log,
    clock,
    logger,
    membership,
    profiles: deps.profiles,
    summaryOf: reads.get,
    onJoined: (conversationId, userIds) => onJoined(conversationId, userIds),
  });
  const groupPictures = createGroupPictures({
    log,
    clock,
    pictures: deps.avatars,
    summaryOf: reads.get,
  });
  const sends = createSends({
    log,
    clock,
    windowMs: deps.sendWindowMs,
    sendLimits: deps.sendLimits,
    attachments,
  });
  const receipts = createReceipts({ log, membership, windowMs: deps.receiptWindowMs });
  const typing = createTyping({ hub, membership, limit: deps.typingLimit });
  const messageChanges = createMessageChanges({ log, clock, attachments });
  const reactions = createReactions({ log, perSender: deps.sendLimits.perSender });
  const pins = createPins({ log, clock, repo, membership });
  const saved = createSavedMessages({ db, hub, clock, repo, membership });
  const forwards = createForwards({
    repo,
    membership,
    profiles: deps.profiles,
    attachments,
    sendMade: sends.sendMade,
  });
  const previews = createLinkPreviewJobs({
    log,
    previews: deps.previews,
    concurrency: deps.previewConcurrency ?? 4,
    logger,
  });
  /** A text just sent or edited gets its link's card later. */
  const previewing =
    <TArgs extends unknown[]>(change: (...args: TArgs) => Promise<Message>) =>
    async (...args: TArgs) => {
      const message = await change(...args);
      previews.schedulePreview(message);
      return message;
    };
  const stream = createEventStream({
    log,
    hub,
    repo,
    clock,
    logger,
    eventRetentionMs: deps.eventRetentionMs,
  });

  return {
    /**
     * Tells `listener`, after the commit, who joined a conversation: every
     * member of a new one, those added to a group. Not awaited: the change
     * does not wait for it (presence introductions). One listener.
     */
    onMembersJoined(listener: (conversationId: string, userIds: string[]) => Promise<void>) {
      onJoined = listener;
    },
    /** How long the send batch in flight has been writing (0: none is); see readiness. */
    sendsStalledForMs: sends.stalledForMs,
    send: previewing(sends.send),
    ...groups,
    ...groupPictures,
    ...reads,
    conversationIdsOf: (userId: string) => membership.conversationIdsOf(userId),
    contactsOf: (userId: string) => repo.contactsOf(userId),
    memberIdsOf: (conversationId: string) => membership.memberIdsOf(conversationId),
    ...typing,
    ...receipts,
    ...messageChanges,
    edit: previewing(messageChanges.edit),
    ...reactions,
    ...pins,
    ...saved,
    forward: previewing(forwards.forward),
    removePreview: previews.removePreview,
    previewsSettled: previews.previewsSettled,
    ...stream,
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
