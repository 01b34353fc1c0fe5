import {
  type ConversationSummary,
  type Message,
  type MessageReactions,
  type SystemEvent,
  UNREAD_MENTIONS_LISTED,
} from '@gopherchat/api';

/**
 * Merges messages into a conversation's loaded ones: ascending by `seq`, one
 * per `seq`. Of two copies of a message the higher revision wins (an edit,
 * a delete or a reaction replaces the original), so a page read before a
 * change and arriving after it never undoes it. Pages and live events
 * overlap freely.
 */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return current as Message[];
  const last = current.at(-1);
  // The common case, a live message after everything loaded: no re-sort.
  if (incoming.length === 1 && (!last || (incoming[0] as Message).seq > last.seq)) return [...current, ...incoming];
  const bySeq = new Map(current.map((message) => [message.seq, message]));
  for (const message of incoming) {
    const known = bySeq.get(message.seq);
    if (!known || message.revision >= known.revision) bySeq.set(message.seq, message);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The message with the reactions of `update`, unless it already has those or newer. */
export function withReactions(message: Message, update: MessageReactions): Message {
  return update.revision > message.revision
    ? { ...message, reactions: update.reactions, revision: update.revision }
    : message;
}

/**
 * The loaded messages with changes made here that the server has not
 * confirmed yet (edits, deletes) shown in their place. Kept apart from the
 * loaded ones, so a refusal only has to drop its change, whatever arrived
 * meanwhile.
 */
export function withUnconfirmed(messages: Message[], unconfirmed: Readonly<Record<number, Message>>): Message[] {
  if (Object.keys(unconfirmed).length === 0) return messages;
  return messages.map((message) => unconfirmed[message.seq] ?? message);
}

/** Where the loaded message at `seq` is (messages ascending by seq, as `mergeMessages` keeps them); -1 if not loaded. */
export function messageIndexOf(messages: readonly Message[], seq: number): number {
  let low = 0;
  let high = messages.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = (messages[middle] as Message).seq;
    if (found === seq) return middle;
    if (found < seq) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The loaded message at `seq`. */
export const messageAt = (messages: readonly Message[], seq: number): Message | undefined =>
  messages[messageIndexOf(messages, seq)];

/** A message's text on one line, cut to `maxLength` characters: enough to recognise it in a quote. */
export function excerpt(text: string, maxLength = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 1).trimEnd()}…`;
}

/** When a conversation last saw activity: its last message, or its creation. */
export const lastActivityOf = (summary: ConversationSummary) => summary.lastMessage?.createdAt ?? summary.createdAt;

/** Most recent activity first; ties keep a stable order by id. */
export function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  const difference = Date.parse(lastActivityOf(b)) - Date.parse(lastActivityOf(a));
  return difference !== 0 ? difference : a.id.localeCompare(b.id);
}

/** Whether a note is no news to me: I did it, or it brought me in (the server moves my pointers past it too). */
function isSeenBy(event: SystemEvent, myId: string): boolean {
  switch (event.kind) {
    case 'created':
      // Everyone in a conversation was brought in by its start.
      return true;
    case 'member_added':
      return event.by === myId || event.userId === myId;
    case 'member_left':
      return event.userId === myId;
    case 'member_removed':
    case 'renamed':
    case 'picture_changed':
    case 'role_changed':
    case 'owner_changed':
    case 'pinned':
      return event.by === myId;
    default:
      return event satisfies never;
  }
}

/** Whether a message is no news to the reader: sent by them, or a note of something they did or that brought them in. */
export const isReadersOwn = (message: Message, myId: string): boolean =>
  message.senderId === myId || (message.content.type === 'system' && isSeenBy(message.content.event, myId));

/**
 * A conversation's summary after one of its messages arrived live: newer
 * messages move `lastMessage` on, and count as unread unless they are the
 * reader's own: sent by them, or a system note of something they did or
 * that brought them in (the server moves those pointers, and counts the
 * same way after a reload).
 * Others' become read once they are seen on screen (`summaryAfterMyPointers`).
 */
export function summaryAfterMessage(summary: ConversationSummary, message: Message, myId: string): ConversationSummary {
  if (message.seq <= summary.lastSeq) {
    // An edit or delete of something already counted: only the preview may change.
    return summary.lastMessage?.seq === message.seq ? { ...summary, lastMessage: message } : summary;
  }
  const isMine = isReadersOwn(message, myId);
  return {
    ...summary,
    lastSeq: message.seq,
    lastMessage: message,
    lastDeliveredSeq: isMine ? message.seq : summary.lastDeliveredSeq,
    lastReadSeq: isMine ? message.seq : summary.lastReadSeq,
    unreadCount: isMine ? 0 : summary.unreadCount + 1,
    unreadMentionSeqs: isMine
      ? []
      : mentionsReader(message, myId) && summary.unreadMentionSeqs.length < UNREAD_MENTIONS_LISTED
        ? [...summary.unreadMentionSeqs, message.seq]
        : summary.unreadMentionSeqs,
  };
}

/** Whether a message mentions the reader: by name, or everyone with `@all` (`@here` leaves no mention for later). */
export const mentionsReader = (message: Message, myId: string): boolean =>
  message.senderId !== myId &&
  (message.mentions?.everyone === 'all' || (message.mentions?.users.some((user) => user.id === myId) ?? false));

/** Calendar day of a timestamp in the reader's time zone, for day separators. */
export function dayKey(isoTimestamp: string): string {
  const date = new Date(isoTimestamp);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Messages closer than this, from the same sender, are shown as one group. */
const GROUPING_WINDOW_MS = 5 * 60_000;

/** Whether `message` continues `previous`'s group (same sender, same day, within minutes). */
export function continuesGroup(previous: Message | undefined, message: Message): boolean {
  return (
    previous !== undefined &&
    previous.senderId !== null &&
    previous.senderId === message.senderId &&
    previous.content.type !== 'system' &&
    message.content.type !== 'system' &&
    dayKey(previous.createdAt) === dayKey(message.createdAt) &&
    Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUPING_WINDOW_MS
  );
}
