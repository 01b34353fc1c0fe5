/**
 * What one batch of sends comes to, decided without the database: the send
 * transaction reads the facts, asks `triageSends` what each send is and
 * which files to claim, claims them, and writes what `planSends` placed.
 * Every send gets its own outcome: one refused send never fails the rest.
 */

import {
  EVERYONE_MENTION_OPEN_MAX_MEMBERS,
  type EveryoneMention,
  type MemberRole,
  type Message,
  type MessageContent,
  type MessageMentions,
  type mentionedNames,
  type TSendMessageInput,
} from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import { NOT_A_MEMBER } from './access.ts';
import type { AttachmentClaim } from './attachments-port.ts';
import type { PendingEvent } from './event-log.ts';
import { messageEvent, toMessage } from './message-view.ts';
import {
  type ConversationSize,
  type MentionedUser,
  type MessageRow,
  type PointerUpdate,
  placeAfter,
} from './statements.ts';

/** A send as it is stored: an attachment's facts filled in, its id kept to claim it in the transaction. */
export interface SendRequest extends Omit<TSendMessageInput, 'content'> {
  senderId: string;
  content: MessageContent;
  attachmentId?: string;
  /** Who its text or caption names (`mentionedNames`), resolved to members in the transaction. */
  mentioned?: ReturnType<typeof mentionedNames>;
}

/** What the batch's first round trip read, under the event log's lock. */
export interface SendBatchFacts {
  /** Messages already stored under the batch's client ids: the originals of retries. */
  sentBefore: MessageRow[];
  /** Which of the batch's (conversation, sender) pairs are memberships, as `conversationId/userId` keys, and roles. */
  memberships: Map<string, MemberRole>;
  /** Where each of the batch's conversations' sequences ends; every writer of it holds the same lock. */
  lastSeqs: Map<string, number>;
  /** The members the batch's `@username`s name, as `conversationId/username` keys (lower case). */
  mentionable: Map<string, MentionedUser>;
  /** The conversations where the batch mentions `@all` or `@here`: their kinds and sizes. */
  sizes: Map<string, ConversationSize>;
}

type Outcome = Message | Error;

/** The sends of a batch sorted before their files are claimed: see `triageSends`. */
export interface SendTriage {
  batch: readonly SendRequest[];
  /** Settled already: retries of stored messages and refusals. Unset: new, or a copy of an earlier send of the batch. */
  outcomes: ReadonlyArray<Outcome | undefined>;
  /** The new sends, by conversation in order of first appearance, each conversation's as batch indexes in order. */
  freshByConversation: ReadonlyMap<string, readonly number[]>;
  /** The batch index of the first send under each sender's client id, for the copies behind it. */
  firstIndexByKey: ReadonlyMap<string, number>;
  /** The files the new sends carry, to claim in the transaction. */
  claims: AttachmentClaim[];
}

/** What the transaction writes, and what each send resolves to once it has committed. */
export interface SendPlan {
  /** One per send of the batch, in its order. */
  outcomes: Outcome[];
  /** Numbered on from each conversation's last seq, a conversation's in batch order. */
  messages: MessageRow[];
  /** Where each conversation that got messages now ends. */
  lastSeqs: { conversationId: string; lastSeq: number }[];
  /** A sender has read what they sent: their newest message in each conversation. */
  readPointers: PointerUpdate[];
  /** One per message, in the order of `messages`. */
  events: PendingEvent[];
}

const keyOf = (send: { senderId: string | null; clientMessageId: string | null }) =>
  `${send.senderId}/${send.clientMessageId}`;

/** JSON with object keys sorted: jsonb does not keep key order, so compare contents this way. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** Whether `send` repeats the message stored as `row`, rather than reusing its client id for another. */
const isRetryOf = (row: MessageRow, send: SendRequest) =>
  row.conversationId === send.conversationId &&
  canonicalJson(row.content) === canonicalJson(send.content) &&
  (row.replyToSeq ?? undefined) === send.replyToSeq;

/** In a large group, `@all` and `@here` reach many people: its owner and admins may use them; in a small one, anyone. */
export function mayMentionEveryone(
  send: Pick<SendRequest, 'conversationId' | 'senderId'>,
  facts: Pick<SendBatchFacts, 'memberships' | 'sizes'>,
): boolean {
  const size = facts.sizes.get(send.conversationId);
  if (size?.kind !== 'group' || size.memberCount <= EVERYONE_MENTION_OPEN_MAX_MEMBERS) return true;
  return facts.memberships.get(`${send.conversationId}/${send.senderId}`) !== 'member';
}

export const everyoneRefused = (everyone: EveryoneMention) =>
  new AppError(
    'FORBIDDEN',
    `In a group of more than ${EVERYONE_MENTION_OPEN_MAX_MEMBERS} people, only its owner and admins can mention @${everyone}. Mention people by name instead.`,
  );

/**
 * Who a send mentions, as stored: the `@username`s that name members of its
 * conversation (others stay text), and `@all` or `@here` in a group (in a
 * direct conversation, the other person is everyone anyway).
 */
export function mentionsOf(
  send: Pick<SendRequest, 'conversationId' | 'mentioned'>,
  facts: Pick<SendBatchFacts, 'mentionable' | 'sizes'>,
): MessageMentions | null {
  const { mentioned, conversationId } = send;
  if (!mentioned) return null;
  const users = mentioned.usernames.flatMap((username) => facts.mentionable.get(`${conversationId}/${username}`) ?? []);
  const everyone = facts.sizes.get(conversationId)?.kind === 'group' ? mentioned.everyone : undefined;
  if (users.length === 0 && !everyone) return null;
  return { users, ...(everyone && { everyone }) };
}

const clientIdReused = () =>
  new AppError('CONFLICT', 'That message id was already used for a different message. Send it with a new id.');

/**
 * Sorts each send of the batch, in order: a retry of a stored message gets
 * it back, a copy of an earlier send of the batch waits for that one, and a
 * new send is refused if its sender is not a member, its conversation is out
 * of budget, or it replies to a message that does not exist. The budget is
 * asked only for a member's new sends, once each: an outsider cannot spend a
 * conversation's budget, and a retry costs nothing.
 */
export function triageSends(
  batch: readonly SendRequest[],
  facts: SendBatchFacts,
  hasConversationBudget: (conversationId: string) => boolean,
): SendTriage {
  const originals = new Map(facts.sentBefore.map((row) => [keyOf(row), row]));
  const outcomes: Array<Outcome | undefined> = new Array(batch.length);
  const firstIndexByKey = new Map<string, number>();
  const freshByConversation = new Map<string, number[]>();
  batch.forEach((send, index) => {
    const key = keyOf(send);
    const original = originals.get(key);
    if (original) {
      outcomes[index] = isRetryOf(original, send) ? toMessage(original) : clientIdReused();
    } else if (firstIndexByKey.has(key)) {
      // Settled by `planSends`, against the first copy's message.
    } else if (!facts.memberships.has(`${send.conversationId}/${send.senderId}`)) {
      outcomes[index] = new AppError('NOT_FOUND', NOT_A_MEMBER);
    } else if (!hasConversationBudget(send.conversationId)) {
      outcomes[index] = new AppError(
        'RATE_LIMITED',
        'This conversation is getting more messages than the server takes. Yours will go in a moment.',
      );
    } else if (send.replyToSeq !== undefined && send.replyToSeq > (facts.lastSeqs.get(send.conversationId) ?? 0)) {
      outcomes[index] = new AppError('INVALID_INPUT', 'The message you replied to does not exist.');
    } else if (send.mentioned?.everyone && !mayMentionEveryone(send, facts)) {
      outcomes[index] = everyoneRefused(send.mentioned.everyone);
    } else {
      firstIndexByKey.set(key, index);
      const indexes = freshByConversation.get(send.conversationId) ?? [];
      indexes.push(index);
      freshByConversation.set(send.conversationId, indexes);
    }
  });
  const claims = [...freshByConversation.values()].flat().flatMap((index) => {
    const send = batch[index] as SendRequest;
    return send.attachmentId
      ? [{ attachmentId: send.attachmentId, ownerId: send.senderId, conversationId: send.conversationId }]
      : [];
  });
  return { batch, outcomes, freshByConversation, firstIndexByKey, claims };
}

/**
 * Places the new sends of `triage` whose files were `claimed` (a send whose
 * file was shared elsewhere or is gone meanwhile is refused, and takes no
 * seq), numbering each conversation's on from its last seq in batch order,
 * and settles every send: a copy of an earlier send of the batch resolves to
 * that one's message, or is refused if it differs.
 */
export function planSends(
  triage: SendTriage,
  facts: Pick<SendBatchFacts, 'lastSeqs' | 'mentionable' | 'sizes'>,
  claimed: ReadonlySet<string>,
  stamp: { at: Date; newId: () => string },
): SendPlan {
  const { batch } = triage;
  const outcomes = [...triage.outcomes];
  const isFileGone = (index: number) => {
    const { attachmentId } = batch[index] as SendRequest;
    return attachmentId !== undefined && !claimed.has(attachmentId);
  };
  const fresh: Array<[conversationId: string, indexes: number[]]> = [];
  for (const [conversationId, indexes] of triage.freshByConversation) {
    for (const index of indexes.filter(isFileGone)) {
      outcomes[index] = new AppError(
        'CONFLICT',
        'That file was already shared elsewhere, or is gone. Upload it again.',
      );
    }
    const kept = indexes.filter((index) => !isFileGone(index));
    if (kept.length > 0) fresh.push([conversationId, kept]);
  }

  const seqBefore = (conversationId: string) => facts.lastSeqs.get(conversationId) ?? 0;
  const messages: MessageRow[] = [];
  const events: PendingEvent[] = [];
  const rowsByIndex = new Map<number, MessageRow>();
  const readPointers = new Map<string, PointerUpdate>();
  for (const [conversationId, indexes] of fresh) {
    const placed = placeAfter(
      conversationId,
      seqBefore(conversationId),
      indexes.map((index) => {
        const send = batch[index] as SendRequest;
        return {
          id: stamp.newId(),
          senderId: send.senderId,
          clientMessageId: send.clientMessageId,
          content: send.content,
          replyToSeq: send.replyToSeq ?? null,
          createdAt: stamp.at,
          mentions: mentionsOf(send, facts),
        };
      }),
    );
    placed.forEach((row, offset) => {
      const index = indexes[offset] as number;
      rowsByIndex.set(index, row);
      outcomes[index] = toMessage(row);
      messages.push(row);
      events.push(messageEvent(row));
      if (row.senderId) {
        readPointers.set(`${conversationId}/${row.senderId}`, {
          conversationId,
          userId: row.senderId,
          deliveredSeq: row.seq,
          readSeq: row.seq,
        });
      }
    });
  }

  batch.forEach((send, index) => {
    if (outcomes[index] !== undefined) return;
    const first = rowsByIndex.get(triage.firstIndexByKey.get(keyOf(send)) ?? -1);
    outcomes[index] = first && isRetryOf(first, send) ? toMessage(first) : clientIdReused();
  });
  return {
    outcomes: outcomes as Outcome[],
    messages,
    lastSeqs: fresh.map(([conversationId, indexes]) => ({
      conversationId,
      lastSeq: seqBefore(conversationId) + indexes.length,
    })),
    readPointers: [...readPointers.values()],
    events,
  };
}
