import { describe, expect, it } from 'bun:test';
import { summary } from '../../testing/fake-chat.ts';
import { conversationsShown } from './conversation-filter.ts';

describe('conversationsShown', () => {
  const quiet = summary('quiet');
  const busy = summary('busy', { unreadCount: 3 });
  const calling = summary('calling', { unreadCount: 1, unreadMentionSeqs: [7] });
  const all = [quiet, busy, calling];
  const ids = (shown: readonly { id: string }[]) => shown.map((conversation) => conversation.id);

  it('keeps all, the unread, or those that mention me, in their order', () => {
    expect(ids(conversationsShown(all, 'all', undefined))).toEqual(['quiet', 'busy', 'calling']);
    expect(ids(conversationsShown(all, 'unread', undefined))).toEqual(['busy', 'calling']);
    expect(ids(conversationsShown(all, 'mentions', undefined))).toEqual(['calling']);
  });

  it('keeps the open conversation, read or not', () => {
    expect(ids(conversationsShown(all, 'mentions', 'quiet'))).toEqual(['quiet', 'calling']);
  });
});
