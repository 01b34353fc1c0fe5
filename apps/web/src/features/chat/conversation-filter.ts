import type { ConversationSummary } from '@gopherchat/api';
import { foldForMatching } from '../../lib/fold.ts';

/** Conversations whose name holds what was typed, ignoring case and accents ("zoe" finds "Zoë"). */
export function conversationsMatching(conversations: readonly ConversationSummary[], query: string) {
  const wanted = foldForMatching(query.trim());
  return wanted ? conversations.filter((summary) => foldForMatching(summary.title).includes(wanted)) : conversations;
}

/** Which conversations the list shows: all, those with unread messages, or those with unread mentions of me. */
export type ListFilter = 'all' | 'unread' | 'mentions';

/**
 * The conversations `filter` keeps, in their order. The open one stays
 * whatever it holds: reading it must not take it out from under the reader.
 */
export function conversationsShown(
  conversations: readonly ConversationSummary[],
  filter: ListFilter,
  activeId: string | undefined,
): readonly ConversationSummary[] {
  if (filter === 'all') return conversations;
  const isKept = (summary: ConversationSummary) =>
    filter === 'unread' ? summary.unreadCount > 0 : summary.unreadMentionSeqs.length > 0;
  return conversations.filter((summary) => summary.id === activeId || isKept(summary));
}
