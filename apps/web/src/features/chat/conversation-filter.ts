import type { ConversationSummary } from '@gopherchat/api';

/** Conversations whose name holds what was typed, ignoring case and accents ("zoe" finds "Zoë"). */
export function conversationsMatching(conversations: readonly ConversationSummary[], query: string) {
  const fold = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLocaleLowerCase();
  const wanted = fold(query.trim());
  return wanted ? conversations.filter((summary) => fold(summary.title).includes(wanted)) : conversations;
}
