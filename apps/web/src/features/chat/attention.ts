import { type ConversationSummary, UNREAD_MENTIONS_LISTED } from '@gopherchat/api';
import { createEffect, createMemo, onCleanup } from 'solid-js';

/** What calls for me across my conversations: mentions of me, and whether anything at all is unread. */
export interface Attention {
  mentions: number;
  hasUnread: boolean;
}

/**
 * Unread mentions of me, and unread messages, across the list. A direct
 * conversation's unread messages count as mentions: they are all for me.
 */
export function attentionOf(conversations: readonly ConversationSummary[]): Attention {
  let mentions = 0;
  let hasUnread = false;
  for (const summary of conversations) {
    if (summary.unreadCount > 0) hasUnread = true;
    mentions += summary.kind === 'direct' ? summary.unreadCount : summary.unreadMentionSeqs.length;
  }
  return { mentions, hasUnread };
}

/** A count as a badge shows it: past what the list lists, "99+". */
const badgeCount = (count: number) => (count > UNREAD_MENTIONS_LISTED ? `${UNREAD_MENTIONS_LISTED}+` : String(count));

/** The tab's title: "(3) GopherChat" with mentions of me, "• GopherChat" with only other unread messages. */
export function titleFor(attention: Attention, name = 'GopherChat'): string {
  if (attention.mentions > 0) return `(${badgeCount(attention.mentions)}) ${name}`;
  return attention.hasUnread ? `• ${name}` : name;
}

/**
 * The tab's icon: the app's own, with a red badge and the count of mentions
 * of me, or a small dot for other unread messages. An SVG as a data address,
 * which the page's policy lets images come from.
 */
export function iconFor(attention: Attention): string | undefined {
  if (attention.mentions === 0 && !attention.hasUnread) return undefined;
  const count = attention.mentions > 9 ? '9+' : String(attention.mentions);
  const badge =
    attention.mentions > 0
      ? `<circle cx="368" cy="144" r="144" fill="#dc2626"/><text x="368" y="200" text-anchor="middle" font-family="system-ui, sans-serif" font-size="${count.length > 1 ? 150 : 180}" font-weight="700" fill="#fff">${count}</text>`
      : '<circle cx="416" cy="96" r="96" fill="#dc2626"/>';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="112" fill="#4562f0"/><text x="256" y="338" text-anchor="middle" font-family="system-ui, sans-serif" font-size="300" font-weight="700" fill="#fff">G</text>${badge}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * Shows the list's attention in the tab, title and icon, as it changes,
 * until the owner's scope ends (sign-out), which puts the app's own back.
 */
export function showAttentionInTab(conversations: () => readonly ConversationSummary[]) {
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  const ownIcon = icon?.href;
  const ownTitle = document.title;
  // Each message changes the list; the title and icon change far less often, and a new icon is fetched anew.
  const attention = createMemo(() => attentionOf(conversations()), undefined, {
    equals: (a, b) => a.mentions === b.mentions && a.hasUnread === b.hasUnread,
  });
  createEffect(() => {
    document.title = titleFor(attention(), ownTitle);
    if (icon && ownIcon) icon.href = iconFor(attention()) ?? ownIcon;
  });
  onCleanup(() => {
    document.title = ownTitle;
    if (icon && ownIcon) icon.href = ownIcon;
  });
}
