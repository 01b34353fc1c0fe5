import type { ConversationSummary, MemberReceipt, ReadPointers } from '@gopherchat/api';

/** Pointers only move forward: of two reports, the furthest of each pointer wins, whatever order they arrive in. */
export function furthest(known: ReadPointers | undefined, incoming: ReadPointers): ReadPointers {
  return {
    lastDeliveredSeq: Math.max(known?.lastDeliveredSeq ?? 0, incoming.lastDeliveredSeq),
    lastReadSeq: Math.max(known?.lastReadSeq ?? 0, incoming.lastReadSeq),
  };
}

/**
 * My own summary after my pointers moved (read here, or on another of my
 * devices). Unread is counted the way the server counts it: every message
 * after the read pointer.
 */
export function summaryAfterMyPointers(summary: ConversationSummary, pointers: ReadPointers): ConversationSummary {
  const moved = furthest(summary, pointers);
  if (moved.lastReadSeq === summary.lastReadSeq && moved.lastDeliveredSeq === summary.lastDeliveredSeq) return summary;
  return {
    ...summary,
    ...moved,
    unreadCount:
      moved.lastReadSeq > summary.lastReadSeq ? Math.max(0, summary.lastSeq - moved.lastReadSeq) : summary.unreadCount,
    unreadMentionSeqs: summary.unreadMentionSeqs.filter((seq) => seq > moved.lastReadSeq),
  };
}

export type ReceiptState = 'sent' | 'delivered' | 'read';

export interface Receipt {
  state: ReceiptState;
  /** Who of the others has read it (in a group, possibly only some of them). */
  readBy: string[];
}

/**
 * How far one of my messages has got, judged by everyone else in the
 * conversation (the peer of a direct one; every other member of a group):
 * delivered once all of them have received it, read once all of them have
 * read it. With nobody else there, it stays sent.
 */
export function receiptOf(seq: number, others: readonly MemberReceipt[]): Receipt {
  const readBy = others.filter((other) => other.lastReadSeq >= seq).map((other) => other.userId);
  if (others.length > 0 && readBy.length === others.length) return { state: 'read', readBy };
  const isDelivered = others.length > 0 && others.every((other) => other.lastDeliveredSeq >= seq);
  return { state: isDelivered ? 'delivered' : 'sent', readBy };
}
