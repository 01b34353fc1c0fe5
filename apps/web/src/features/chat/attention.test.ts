import { describe, expect, it } from 'bun:test';
import { summary } from '../../testing/fake-chat.ts';
import { attentionOf, iconFor, titleFor } from './attention.ts';

describe('attention', () => {
  it('counts mentions of me in groups and every unread message of a direct conversation', () => {
    const attention = attentionOf([
      summary('group', { unreadCount: 5, unreadMentionSeqs: [3, 4] }),
      summary('direct', { kind: 'direct', unreadCount: 2 }),
      summary('quiet'),
    ]);
    expect(attention).toEqual({ mentions: 4, hasUnread: true });
    expect(attentionOf([summary('busy', { unreadCount: 9 })])).toEqual({ mentions: 0, hasUnread: true });
  });

  it('puts the count in the title, a dot for unread messages alone, and nothing when all is read', () => {
    expect(titleFor({ mentions: 4, hasUnread: true })).toBe('(4) GopherChat');
    expect(titleFor({ mentions: 120, hasUnread: true })).toBe('(99+) GopherChat');
    expect(titleFor({ mentions: 0, hasUnread: true })).toBe('• GopherChat');
    expect(titleFor({ mentions: 0, hasUnread: false })).toBe('GopherChat');
  });

  it('badges the icon with the count, or a dot, and leaves the app’s own when all is read', () => {
    expect(decodeURIComponent(iconFor({ mentions: 12, hasUnread: true }) ?? '')).toContain('>9+</text>');
    expect(decodeURIComponent(iconFor({ mentions: 0, hasUnread: true }) ?? '')).toContain('<circle');
    expect(iconFor({ mentions: 0, hasUnread: false })).toBeUndefined();
  });
});
