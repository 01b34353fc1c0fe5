import type { Member, Sent } from './traffic.ts';

/** The promise under faults: every acknowledged message stored, and received by every member exactly once, in order. */
export interface Verdict {
  sent: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** Stored messages some member never received. */
  undelivered: number;
  refusals: string[];
}

/**
 * `stored`: per conversation, the client message ids in the database in
 * seq order. A message counts as lost when it was acknowledged but is not
 * stored; a member's copy is a duplicate when the same seq arrives twice,
 * out of order when it arrives after a higher seq of its conversation.
 */
export function judge(members: Member[], sent: Map<string, Sent>, stored: Map<string, string[]>): Verdict {
  const storedIds = new Set([...stored.values()].flat());
  const acknowledged = [...sent.values()].filter((message) => message.ackedAt !== undefined);
  let duplicated = 0;
  let outOfOrder = 0;
  let undelivered = 0;
  for (const member of members) {
    const seen = new Set<number>();
    let highest = 0;
    for (const message of member.received) {
      if (message.conversationId !== member.conversationId) continue;
      if (seen.has(message.seq)) duplicated++;
      else if (message.seq < highest) outOfOrder++;
      seen.add(message.seq);
      highest = Math.max(highest, message.seq);
    }
    const receivedIds = new Set(member.received.map((message) => message.clientMessageId));
    for (const id of stored.get(member.conversationId) ?? []) if (!receivedIds.has(id)) undelivered++;
  }
  return {
    sent: sent.size,
    acknowledged: acknowledged.length,
    stored: storedIds.size,
    lost: acknowledged.filter((message) => !storedIds.has(message.clientMessageId)).length,
    duplicated,
    outOfOrder,
    undelivered,
    refusals: members.flatMap((member) => member.failures),
  };
}

/** When the last message the fault delayed reached everyone, relative to `from` (ms; 0 if none was delayed). */
export function recoveryMs(
  messages: Sent[],
  roomSizeOf: (message: Sent) => number,
  window: { start: number; end: number; from: number },
) {
  let last = window.from;
  for (const message of messages) {
    if (message.enqueuedAt < window.start || message.enqueuedAt > window.end) continue;
    if (message.receivedAt.size < roomSizeOf(message)) return Number.POSITIVE_INFINITY;
    last = Math.max(last, ...message.receivedAt.values());
  }
  return Math.round(last - window.from);
}
