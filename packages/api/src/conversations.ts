import { z } from 'zod';
import {
  ATTACHMENT_CAPTION_MAX_LENGTH,
  CLIENT_MESSAGE_ID_MAX_LENGTH,
  CONVERSATION_TITLE_MAX_LENGTH,
  EMOJI_MAX_LENGTH,
  GROUP_MAX_MEMBERS,
  HISTORY_PAGE_MAX,
  MESSAGE_TEXT_MAX_LENGTH,
  RECEIPT_BATCH_MAX,
  SAVED_PAGE_MAX,
} from './limits.ts';
import { normalizeEmoji } from './reactions.ts';

export const ZId = z.uuid('That id is not valid.');
const ZSeq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const ZConversationTitle = z
  .string()
  .trim()
  .min(1, 'Give the group a name.')
  .max(CONVERSATION_TITLE_MAX_LENGTH, `Group names have at most ${CONVERSATION_TITLE_MAX_LENGTH} characters.`);

const ZTextContentInput = z.object({
  type: z.literal('text'),
  text: z
    .string()
    .trim()
    .min(1, 'Write something first.')
    .max(MESSAGE_TEXT_MAX_LENGTH, `Messages have at most ${MESSAGE_TEXT_MAX_LENGTH} characters.`),
});

/**
 * What a person may send: text, or a file they uploaded and confirmed (the
 * server fills in what it knows of the file). System events are the
 * server's; end-to-end ciphertext will be another envelope type.
 */
export const ZMessageContentInput = z.discriminatedUnion('type', [
  ZTextContentInput,
  z.object({
    type: z.literal('attachment'),
    attachmentId: ZId,
    caption: z
      .string()
      .trim()
      .max(ATTACHMENT_CAPTION_MAX_LENGTH, `Captions have at most ${ATTACHMENT_CAPTION_MAX_LENGTH} characters.`)
      .optional(),
  }),
]);
export type TMessageContentInput = z.infer<typeof ZMessageContentInput>;

export const ZCreateDirectInput = z.object({ userId: ZId });
export const ZCreateGroupInput = z.object({
  title: ZConversationTitle,
  memberIds: z.array(ZId).max(GROUP_MAX_MEMBERS - 1, `Groups have at most ${GROUP_MAX_MEMBERS} members.`),
});
export const ZConversationRef = z.object({ conversationId: ZId });
export const ZAddMembersInput = z.object({
  conversationId: ZId,
  userIds: z
    .array(ZId)
    .min(1, 'Pick someone to add.')
    .max(GROUP_MAX_MEMBERS - 1),
});
export const ZRemoveMemberInput = z.object({ conversationId: ZId, userId: ZId });
export const ZRenameInput = z.object({ conversationId: ZId, title: ZConversationTitle });

/** Makes the caller's confirmed image (an upload not sent anywhere) the group's picture. */
export const ZSetGroupAvatarInput = z.object({ conversationId: ZId, attachmentId: ZId });
export const ZRemoveGroupAvatarInput = z.object({ conversationId: ZId });
/** Making a member an admin, or an admin a member again; the owner is changed by handing the group on. */
export const ZSetRoleInput = z.object({
  conversationId: ZId,
  userId: ZId,
  role: z.enum(['admin', 'member'], 'A role is “admin” or “member”.'),
});
/** The owner hands the group to another member, and stays on as an admin. */
export const ZTransferOwnershipInput = z.object({ conversationId: ZId, userId: ZId });

/** Chosen by the client, unique per sender: a retry with the same id returns the original message. */
const ZClientMessageId = z
  .string()
  .min(1)
  .max(CLIENT_MESSAGE_ID_MAX_LENGTH)
  .regex(/^[\w-]+$/, 'Client message ids use letters, digits, "_" and "-".');

export const ZSendMessageInput = z.object({
  conversationId: ZId,
  clientMessageId: ZClientMessageId,
  content: ZMessageContentInput,
  replyToSeq: ZSeq.optional(),
});
export type TSendMessageInput = z.infer<typeof ZSendMessageInput>;

/** Only text is edited: a file is deleted and sent again. */
export const ZEditMessageInput = z.object({ conversationId: ZId, seq: ZSeq, content: ZTextContentInput });
export type TTextContentInput = z.infer<typeof ZTextContentInput>;
export const ZDeleteMessageInput = z.object({ conversationId: ZId, seq: ZSeq });
/** Pinning one pinned already, or unpinning one that is not, changes nothing and succeeds. */
export const ZPinInput = z.object({ conversationId: ZId, seq: ZSeq });
/** Saving one saved already, or unsaving one that is not, changes nothing and succeeds. */
export const ZSaveInput = ZPinInput;
/** A page of my saved messages, newest saved first; `before` is the last item of the previous page. */
export const ZSavedPageInput = z.object({
  before: z.object({ savedAt: z.iso.datetime({ offset: true }), conversationId: ZId, seq: ZSeq }).optional(),
  limit: z.number().int().min(1).max(SAVED_PAGE_MAX).default(SAVED_PAGE_MAX),
});
export type TSavedPageInput = z.infer<typeof ZSavedPageInput>;
/** Sends a copy of a message (its text, or its file and caption) to another conversation. */
export const ZForwardInput = z.object({
  conversationId: ZId,
  seq: ZSeq,
  toConversationId: ZId,
  clientMessageId: ZClientMessageId,
});
export type TForwardInput = z.infer<typeof ZForwardInput>;

/** One emoji, in the spelling reactions are compared by (see `normalizeEmoji`). */
export const ZEmoji = z
  .string()
  .max(EMOJI_MAX_LENGTH, 'Pick one emoji.')
  .transform((text, context) => {
    const emoji = normalizeEmoji(text);
    if (emoji === null) context.addIssue({ code: 'custom', message: 'Pick one emoji.' });
    return emoji ?? text;
  });
/** Adding a reaction that is already there, or taking back one that is not, changes nothing and succeeds. */
export const ZReactionInput = z.object({ conversationId: ZId, seq: ZSeq, emoji: ZEmoji });
export type TReactionInput = z.infer<typeof ZReactionInput>;

/** A page of history: `before` walks back from the newest, `after` forward (both exclusive). */
export const ZHistoryInput = z
  .object({
    conversationId: ZId,
    before: ZSeq.optional(),
    after: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
  })
  .refine((input) => input.before === undefined || input.after === undefined, {
    message: 'Ask for messages before or after a point, not both.',
  });

const ZPointer = z.object({ conversationId: ZId, seq: ZSeq });
/** What a client has received: the newest seq per conversation (one call covers a burst of events). */
export const ZMarkDeliveredInput = z.object({
  pointers: z.array(ZPointer).min(1).max(RECEIPT_BATCH_MAX, `At most ${RECEIPT_BATCH_MAX} conversations at once.`),
});
/** The newest message the reader has seen on screen in one conversation. */
export const ZMarkReadInput = ZPointer;

export const ZTypingInput = z.object({ conversationId: ZId, isTyping: z.boolean() });

/** Largest PostgreSQL bigint: stream event ids are bigints, and a larger one fails the query that reads after it. */
const BIGINT_MAX = 2n ** 63n - 1n;

/** A stream's resume point: the decimal id of the last event a client has, within bigint range. */
export const ZEventId = z
  .string()
  .regex(/^\d{1,19}$/, 'An event id is a decimal number.')
  .refine((id) => BigInt(id) <= BIGINT_MAX, 'That event id is out of range.');

export const ZEventsInput = z.object({
  /** tRPC sets this on reconnect: the id of the last event the client has. */
  lastEventId: ZEventId.optional(),
});
