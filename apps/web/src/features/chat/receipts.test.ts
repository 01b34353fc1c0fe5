import { describe, expect, it } from 'bun:test';
import type { ConversationSummary, MemberReceipt } from '@gopherchat/api';
import { furthest, receiptOf, summaryAfterMyPointers } from './receipts.ts';

const member = (userId: string, lastDeliveredSeq: number, lastReadSeq: number): MemberReceipt => ({
  userId,
  lastDeliveredSeq,
  lastReadSeq,
});

describe('furthest', () => {
  it('never moves a pointer back, whatever order reports arrive in', () => {
    expect(furthest({ lastDeliveredSeq: 7, lastReadSeq: 3 }, { lastDeliveredSeq: 5, lastReadSeq: 4 })).toEqual({
      lastDeliveredSeq: 7,
      lastReadSeq: 4,
    });
    expect(furthest(undefined, { lastDeliveredSeq: 2, lastReadSeq: 1 })).toEqual({
      lastDeliveredSeq: 2,
      lastReadSeq: 1,
    });
  });
});

describe('summaryAfterMyPointers', () => {
  const summary: ConversationSummary = {
    id: 'c1',
    kind: 'direct',
    title: 'bob',
    avatarKey: null,
    peer: null,
    memberCount: 2,
    myRole: 'member',
    lastSeq: 10,
    lastDeliveredSeq: 10,
    lastReadSeq: 4,
    unreadCount: 6,
    unreadMentionSeqs: [5, 9],
    lastMessage: null,
    createdAt: new Date(0).toISOString(),
  };

  it('counts what is left after the read pointer as unread, mentions too', () => {
    expect(summaryAfterMyPointers(summary, { lastDeliveredSeq: 8, lastReadSeq: 8 })).toMatchObject({
      lastDeliveredSeq: 10,
      lastReadSeq: 8,
      unreadCount: 2,
      unreadMentionSeqs: [9],
    });
    expect(summaryAfterMyPointers(summary, { lastDeliveredSeq: 10, lastReadSeq: 10 }).unreadCount).toBe(0);
  });

  it('ignores a stale report (another device lagging behind)', () => {
    expect(summaryAfterMyPointers(summary, { lastDeliveredSeq: 3, lastReadSeq: 2 })).toBe(summary);
  });
});

describe('receiptOf', () => {
  it('follows the peer of a direct conversation: sent, delivered, read', () => {
    expect(receiptOf(5, [member('bob', 4, 4)]).state).toBe('sent');
    expect(receiptOf(5, [member('bob', 5, 4)]).state).toBe('delivered');
    expect(receiptOf(5, [member('bob', 9, 5)])).toEqual({ state: 'read', readBy: ['bob'] });
  });

  it('calls a group message delivered only once every other member has it, and says who read it', () => {
    const others = [member('bob', 6, 6), member('cat', 6, 2), member('dan', 4, 0)];
    expect(receiptOf(5, others)).toEqual({ state: 'sent', readBy: ['bob'] });
    expect(receiptOf(3, others)).toEqual({ state: 'delivered', readBy: ['bob'] });
    expect(receiptOf(2, others)).toEqual({ state: 'delivered', readBy: ['bob', 'cat'] });
    expect(receiptOf(2, [member('bob', 6, 6), member('cat', 6, 2)])).toEqual({
      state: 'read',
      readBy: ['bob', 'cat'],
    });
  });

  it('leaves a message in a group of one as sent', () => {
    expect(receiptOf(1, [])).toEqual({ state: 'sent', readBy: [] });
  });
});
