import { describe, expect, it } from 'bun:test';
import type { ConversationSummary, Message } from '@gopherchat/api';
import { messageWith } from '../../testing/fake-chat.ts';
import {
  byActivity,
  continuesGroup,
  excerpt,
  mentionsReader,
  mergeMessages,
  messageAt,
  summaryAfterMessage,
  withUnconfirmed,
} from './timeline.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 12, minutes)).toISOString();

const message = (seq: number, overrides: Partial<Message> = {}) =>
  messageWith({
    seq,
    id: `m${seq}`,
    senderId: 'ada',
    clientMessageId: `c${seq}`,
    content: { type: 'text', text: `#${seq}` },
    createdAt: at(seq),
    ...overrides,
  });

const summary = (overrides: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id: 'c1',
  kind: 'group',
  title: 'Team',
  avatarKey: null,
  peer: null,
  memberCount: 3,
  myRole: 'member',
  lastSeq: 2,
  lastDeliveredSeq: 2,
  lastReadSeq: 2,
  unreadCount: 0,
  unreadMentionSeqs: [],
  lastMessage: message(2),
  createdAt: at(0),
  ...overrides,
});

describe('mergeMessages', () => {
  it('keeps one message per seq in order, the newer copy winning', () => {
    const edited = message(2, { content: { type: 'text', text: 'edited' } });
    const merged = mergeMessages([message(1), message(2), message(4)], [message(3), edited, message(5)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(merged[1]?.content).toEqual({ type: 'text', text: 'edited' });
  });

  it('prepends an older page', () => {
    expect(mergeMessages([message(3), message(4)], [message(1), message(2)]).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });
});

describe('changes not yet confirmed', () => {
  it('shows an unconfirmed edit in place of the loaded message, and the loaded one once it is dropped', () => {
    const loaded = [message(1), message(2), message(3)];
    const edit = message(2, { content: { type: 'text', text: 'better' } });
    expect(withUnconfirmed(loaded, { 2: edit })).toEqual([message(1), edit, message(3)]);
    expect(withUnconfirmed(loaded, {})).toBe(loaded);
  });
});

describe('replies', () => {
  it('finds the replied message among the loaded ones, and nothing when it is not loaded', () => {
    const loaded = [message(4), message(5), message(7), message(9)];
    expect(messageAt(loaded, 7)?.id).toBe('m7');
    expect(messageAt(loaded, 4)?.id).toBe('m4');
    expect(messageAt(loaded, 9)?.id).toBe('m9');
    expect(messageAt(loaded, 2)).toBeUndefined();
    expect(messageAt(loaded, 6)).toBeUndefined();
    expect(messageAt([], 1)).toBeUndefined();
  });

  it('quotes a message on one line, cut short with an ellipsis', () => {
    expect(excerpt('two\n  lines ')).toBe('two lines');
    expect(excerpt('a'.repeat(100), 10)).toBe(`${'a'.repeat(9)}…`);
    expect(excerpt('just fits', 9)).toBe('just fits');
  });
});

describe('summaryAfterMessage', () => {
  it('counts someone else’s new message as unread, and not the reader’s own', () => {
    expect(summaryAfterMessage(summary(), message(3), 'bob')).toMatchObject({
      lastSeq: 3,
      unreadCount: 1,
      lastReadSeq: 2,
    });
    expect(summaryAfterMessage(summary(), message(3, { senderId: 'bob' }), 'bob')).toMatchObject({
      unreadCount: 0,
      lastDeliveredSeq: 3,
      lastReadSeq: 3,
    });
  });

  it('counts a system note as unread unless the reader did what it records, as the server does', () => {
    const note = (event: Message['content']) => message(3, { senderId: null, content: event });
    const renamedByAda = note({ type: 'system', event: { kind: 'renamed', by: 'ada', title: 'New' } });
    expect(summaryAfterMessage(summary(), renamedByAda, 'bob')).toMatchObject({ unreadCount: 1, lastReadSeq: 2 });
    expect(summaryAfterMessage(summary(), renamedByAda, 'ada')).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });
    const bobLeft = note({ type: 'system', event: { kind: 'member_left', userId: 'bob' } });
    expect(summaryAfterMessage(summary({ unreadCount: 2 }), bobLeft, 'bob')).toMatchObject({ unreadCount: 0 });
  });

  it('does not count the note that brought the reader in (a new conversation showed as unread)', () => {
    const note = (event: Message['content']) => message(3, { senderId: null, content: event });
    const started = note({ type: 'system', event: { kind: 'created', by: 'ada' } });
    expect(summaryAfterMessage(summary(), started, 'bob')).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });
    const bobAdded = note({ type: 'system', event: { kind: 'member_added', by: 'ada', userId: 'bob' } });
    expect(summaryAfterMessage(summary(), bobAdded, 'bob')).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });
    const cyAdded = note({ type: 'system', event: { kind: 'member_added', by: 'ada', userId: 'cy' } });
    expect(summaryAfterMessage(summary(), cyAdded, 'bob')).toMatchObject({ unreadCount: 1, lastReadSeq: 2 });
  });

  it('does not count an edit of an old message again, but shows it in the preview', () => {
    const edited = message(2, { content: { type: 'deleted' } });
    expect(summaryAfterMessage(summary({ unreadCount: 1 }), edited, 'bob')).toMatchObject({
      unreadCount: 1,
      lastMessage: edited,
    });
  });
});

describe('conversation order and message grouping', () => {
  it('puts the most recently active conversation first', () => {
    const quiet = summary({ id: 'quiet', lastMessage: message(1) });
    const busy = summary({ id: 'busy', lastMessage: message(9) });
    const fresh = summary({ id: 'fresh', lastMessage: null, createdAt: at(5) });
    expect([quiet, busy, fresh].sort(byActivity).map((s) => s.id)).toEqual(['busy', 'fresh', 'quiet']);
  });

  it('groups consecutive messages of one sender within a few minutes', () => {
    expect(continuesGroup(message(1), message(2))).toBe(true);
    expect(continuesGroup(message(1), message(2, { senderId: 'bob' }))).toBe(false);
    expect(continuesGroup(message(1), message(20))).toBe(false);
    expect(continuesGroup(undefined, message(1))).toBe(false);
  });
});

describe('unread mentions', () => {
  const mentioning = (seq: number, senderId: string, mentions: Message['mentions']) => ({
    ...message(seq),
    senderId,
    ...(mentions && { mentions }),
  });

  it('counts a message that names me or mentions all, not @here, mine, or others’ names', () => {
    const me = { id: 'bob', username: 'bob' };
    let shown = summary();
    shown = summaryAfterMessage(shown, mentioning(3, 'ada', { users: [me] }), 'bob');
    shown = summaryAfterMessage(shown, mentioning(4, 'ada', { users: [], everyone: 'here' }), 'bob');
    shown = summaryAfterMessage(shown, mentioning(5, 'ada', { users: [{ id: 'cy', username: 'cy' }] }), 'bob');
    shown = summaryAfterMessage(shown, mentioning(6, 'ada', { users: [], everyone: 'all' }), 'bob');
    expect(shown.unreadMentionSeqs).toEqual([3, 6]);
    expect(mentionsReader(mentioning(7, 'bob', { users: [me] }), 'bob')).toBe(false);
    // Mine, sent: everything before it is read.
    expect(summaryAfterMessage(shown, mentioning(7, 'bob', undefined), 'bob').unreadMentionSeqs).toEqual([]);
  });
});
