import type { ConversationSummary, Message } from '@gopherchat/api';
import { wordsOf } from '../chat/markdown.ts';
import { excerpt, mentionsReader } from '../chat/timeline.ts';

/** What a desktop notification says: who and where in its title, the message's words below. */
export interface DesktopAlert {
  conversationId: string;
  seq: number;
  title: string;
  body: string;
}

/** How much of a message a notification shows. */
const BODY_MAX_LENGTH = 140;

/**
 * Whether a message that just arrived calls for me: a direct message, a
 * mention of me by name, or of everyone (`@here` too: I am here). Never my
 * own, nor a note of what someone did.
 */
export function callsForMe(message: Message, summary: ConversationSummary, myId: string): boolean {
  if (message.senderId === null || message.senderId === myId || message.content.type === 'system') return false;
  return summary.kind === 'direct' || mentionsReader(message, myId) || message.mentions?.everyone === 'here';
}

/** The notification for a message: "Ada" in a direct conversation, "Ada in Crew" in a group. */
export function alertFor(message: Message, summary: ConversationSummary, senderName: string): DesktopAlert {
  const words = message.content.type === 'deleted' ? 'Message deleted' : wordsOf(message.content);
  return {
    conversationId: summary.id,
    seq: message.seq,
    title: summary.kind === 'direct' ? senderName : `${senderName} in ${summary.title}`,
    body: excerpt(words, BODY_MAX_LENGTH),
  };
}

/**
 * The messages to tell of, from one look at the conversation list to the
 * next: each conversation's newest, when it is new since the last look and
 * calls for me. A conversation seen for the first time is only noted (the
 * list as it loads is not news).
 */
export function createArrivalWatch(myId: string) {
  const lastSeen = new Map<string, number>();
  return (conversations: readonly ConversationSummary[]): Array<{ message: Message; summary: ConversationSummary }> => {
    const arrived = [];
    for (const summary of conversations) {
      const before = lastSeen.get(summary.id);
      lastSeen.set(summary.id, summary.lastSeq);
      const message = summary.lastMessage;
      if (before === undefined || summary.lastSeq <= before || message?.seq !== summary.lastSeq) continue;
      if (callsForMe(message, summary, myId)) arrived.push({ message, summary });
    }
    return arrived;
  };
}
