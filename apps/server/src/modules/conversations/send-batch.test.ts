import { describe, expect, it } from 'bun:test';
import { EVERYONE_MENTION_OPEN_MAX_MEMBERS, type Message, type MessageContent, mentionedNames } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import { planSends, type SendBatchFacts, type SendRequest, triageSends } from './send-batch.ts';
import { type MessageRow, type NewMessage, placeAfter } from './statements.ts';

const AT = new Date('2026-01-01T12:00:00Z');
const text = (words: string): MessageContent => ({ type: 'text', text: words });

function send(overrides: Partial<SendRequest> & { clientMessageId: string }): SendRequest {
  return { conversationId: 'x', senderId: 'alice', content: text(overrides.clientMessageId), ...overrides };
}

/** A message already stored, placed at `seq` as the send path places new ones. */
function storedRow(
  overrides: Partial<NewMessage> & { seq: number; clientMessageId: string; conversationId?: string },
): MessageRow {
  const { seq, conversationId = 'x', ...rest } = overrides;
  const [row] = placeAfter(conversationId, seq - 1, [
    {
      id: `stored-${seq}`,
      senderId: 'alice',
      content: text(overrides.clientMessageId),
      createdAt: new Date('2025-12-31T00:00:00Z'),
      ...rest,
    },
  ]);
  return row as MessageRow;
}

/** Memberships, as `conversationId/userId` keys, all in the member role. */
const membersOf = (...keys: string[]) => new Map(keys.map((key) => [key, 'member' as const]));

/**
 * Triages and plans `batch` as the send transaction does, with ids id-1,
 * id-2, … in the order they are taken. Unless told otherwise everyone is a
 * member, every conversation has budget and every file was claimed.
 */
function plan(
  batch: SendRequest[],
  options: {
    facts?: Partial<SendBatchFacts>;
    hasConversationBudget?: (conversationId: string) => boolean;
    claimed?: (claims: string[]) => Set<string>;
  } = {},
) {
  const facts: SendBatchFacts = {
    sentBefore: [],
    memberships: membersOf(...batch.map((request) => `${request.conversationId}/${request.senderId}`)),
    lastSeqs: new Map(),
    mentionable: new Map(),
    sizes: new Map(),
    ...options.facts,
  };
  const triage = triageSends(batch, facts, options.hasConversationBudget ?? (() => true));
  const claims = triage.claims.map((claim) => claim.attachmentId);
  let nextId = 0;
  const result = planSends(triage, facts, options.claimed?.(claims) ?? new Set(claims), {
    at: AT,
    newId: () => `id-${++nextId}`,
  });
  return { triage, ...result };
}

/** An outcome in a word: the message's place, or the refusal's code. */
function outcomeOf(outcome: Message | Error): string {
  if (outcome instanceof AppError) return outcome.code;
  if (outcome instanceof Error) return outcome.message;
  return `${outcome.conversationId}#${outcome.seq}`;
}

describe('triageSends and planSends', () => {
  describe('ordering', () => {
    it('numbers each conversation’s sends on from its last seq, in batch order, with conversations interleaved', () => {
      const { outcomes, messages, events, lastSeqs } = plan(
        [
          send({ clientMessageId: 'x1' }),
          send({ clientMessageId: 'y1', conversationId: 'y' }),
          send({ clientMessageId: 'x2' }),
          send({ clientMessageId: 'x3', senderId: 'bob' }),
        ],
        { facts: { lastSeqs: new Map([['x', 10]]) } },
      );

      expect(outcomes.map(outcomeOf)).toEqual(['x#11', 'y#1', 'x#12', 'x#13']);
      // Written a conversation at a time, in the order each first appears; ids taken in that order.
      expect(messages.map((row) => [row.clientMessageId, row.seq, row.id])).toEqual([
        ['x1', 11, 'id-1'],
        ['x2', 12, 'id-2'],
        ['x3', 13, 'id-3'],
        ['y1', 1, 'id-4'],
      ]);
      expect(events.map((event) => [event.conversationId, event.kind])).toEqual([
        ['x', 'message'],
        ['x', 'message'],
        ['x', 'message'],
        ['y', 'message'],
      ]);
      expect(lastSeqs).toEqual([
        { conversationId: 'x', lastSeq: 13 },
        { conversationId: 'y', lastSeq: 1 },
      ]);
      expect(messages.every((row) => row.createdAt === AT)).toBe(true);
    });

    it('moves each sender’s pointers to their newest message in each conversation', () => {
      const { readPointers } = plan([
        send({ clientMessageId: 'a1' }),
        send({ clientMessageId: 'b1', senderId: 'bob' }),
        send({ clientMessageId: 'a2' }),
        send({ clientMessageId: 'a3', conversationId: 'y' }),
      ]);
      expect(readPointers).toEqual([
        { conversationId: 'x', userId: 'alice', deliveredSeq: 3, readSeq: 3 },
        { conversationId: 'x', userId: 'bob', deliveredSeq: 2, readSeq: 2 },
        { conversationId: 'y', userId: 'alice', deliveredSeq: 1, readSeq: 1 },
      ]);
    });
  });

  describe('retries and reused client ids', () => {
    it('resolves a retry of a stored message to the original and writes nothing for it', () => {
      const original = storedRow({ seq: 5, clientMessageId: 'm1' });
      const { outcomes, messages } = plan([send({ clientMessageId: 'm1' }), send({ clientMessageId: 'm2' })], {
        facts: { sentBefore: [original], lastSeqs: new Map([['x', 5]]) },
      });
      expect(outcomes[0]).toMatchObject({ id: 'stored-5', seq: 5 });
      expect(outcomes.map(outcomeOf)).toEqual(['x#5', 'x#6']);
      expect(messages.map((row) => row.clientMessageId)).toEqual(['m2']);
    });

    it('knows a retry whose stored content came back with its keys in another order (jsonb does not keep them)', () => {
      const original = storedRow({
        seq: 1,
        clientMessageId: 'm1',
        content: { text: 'hi', type: 'text' } as MessageContent,
      });
      const { outcomes } = plan([send({ clientMessageId: 'm1', content: text('hi') })], {
        facts: { sentBefore: [original], lastSeqs: new Map([['x', 1]]) },
      });
      expect(outcomes[0]).toMatchObject({ id: 'stored-1' });
    });

    it('refuses, alone, a client id reused for other words, another conversation or another reply', () => {
      const { outcomes, messages } = plan(
        [
          send({ clientMessageId: 'words', content: text('changed') }),
          send({ clientMessageId: 'place', conversationId: 'y' }),
          send({ clientMessageId: 'reply', replyToSeq: 1 }),
          send({ clientMessageId: 'fresh' }),
        ],
        {
          facts: {
            sentBefore: [
              storedRow({ seq: 1, clientMessageId: 'words' }),
              storedRow({ seq: 2, clientMessageId: 'place' }),
              storedRow({ seq: 3, clientMessageId: 'reply' }),
            ],
            memberships: membersOf('x/alice', 'y/alice'),
            lastSeqs: new Map([['x', 3]]),
          },
        },
      );
      expect(outcomes.map(outcomeOf)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'x#4']);
      expect(messages).toHaveLength(1);
    });

    it('resolves a copy of an earlier send of the batch to its message, and refuses a copy that differs', () => {
      const { outcomes, messages } = plan([
        send({ clientMessageId: 'm1', content: text('hi') }),
        send({ clientMessageId: 'm1', content: text('hi') }),
        send({ clientMessageId: 'm1', content: text('something else') }),
        send({ clientMessageId: 'm1', senderId: 'bob', content: text('bob’s own m1') }),
      ]);
      expect(outcomes.map(outcomeOf)).toEqual(['x#1', 'x#1', 'CONFLICT', 'x#2']);
      expect(outcomes[1]).toEqual(outcomes[0] as Message);
      expect(messages.map((row) => [row.senderId, row.clientMessageId])).toEqual([
        ['alice', 'm1'],
        ['bob', 'm1'],
      ]);
    });
  });

  describe('failure isolation', () => {
    it('refuses a non-member’s send and places the rest of the batch without a gap', () => {
      const { outcomes, messages, events } = plan(
        [
          send({ clientMessageId: 'a1' }),
          send({ clientMessageId: 'intruder', senderId: 'mallory' }),
          send({ clientMessageId: 'a2' }),
        ],
        { facts: { memberships: membersOf('x/alice') } },
      );
      expect(outcomes.map(outcomeOf)).toEqual(['x#1', 'NOT_FOUND', 'x#2']);
      expect(messages.map((row) => row.seq)).toEqual([1, 2]);
      expect(events).toHaveLength(2);
    });

    it('refuses a reply to a message past the conversation’s end, even one this batch adds', () => {
      const { outcomes } = plan(
        [
          send({ clientMessageId: 'to-last', replyToSeq: 3 }),
          send({ clientMessageId: 'to-this-batch', replyToSeq: 4 }),
          send({ clientMessageId: 'plain' }),
        ],
        { facts: { lastSeqs: new Map([['x', 3]]) } },
      );
      expect(outcomes.map(outcomeOf)).toEqual(['x#4', 'INVALID_INPUT', 'x#5']);
    });

    it('claims the files of new sends only, and refuses a send whose file was not claimed, alone', () => {
      const { triage, outcomes, messages, lastSeqs } = plan(
        [
          send({ clientMessageId: 'shared', attachmentId: 'file-1' }),
          send({ clientMessageId: 'gone', attachmentId: 'file-2', conversationId: 'y' }),
          send({ clientMessageId: 'outsider', attachmentId: 'file-3', senderId: 'mallory' }),
          send({ clientMessageId: 'words' }),
        ],
        {
          facts: { memberships: membersOf('x/alice', 'y/alice') },
          claimed: (claims) => new Set(claims.filter((id) => id !== 'file-2')),
        },
      );
      expect(triage.claims).toEqual([
        { attachmentId: 'file-1', ownerId: 'alice', conversationId: 'x' },
        { attachmentId: 'file-2', ownerId: 'alice', conversationId: 'y' },
      ]);
      expect(outcomes.map(outcomeOf)).toEqual(['x#1', 'CONFLICT', 'NOT_FOUND', 'x#2']);
      expect(messages.map((row) => row.clientMessageId)).toEqual(['shared', 'words']);
      // Conversation y got nothing: its end stays where it was.
      expect(lastSeqs).toEqual([{ conversationId: 'x', lastSeq: 2 }]);
    });
  });

  describe('the per-conversation limit', () => {
    it('asks a conversation’s budget once for each new send by a member, in batch order, and refuses past it', () => {
      const asked: string[] = [];
      let budget = 2;
      const { outcomes, messages } = plan(
        [
          send({ clientMessageId: 'intruder', senderId: 'mallory' }),
          send({ clientMessageId: 'retry' }),
          send({ clientMessageId: 'one' }),
          send({ clientMessageId: 'one' }),
          send({ clientMessageId: 'two' }),
          send({ clientMessageId: 'three' }),
        ],
        {
          facts: {
            sentBefore: [storedRow({ seq: 1, clientMessageId: 'retry' })],
            memberships: membersOf('x/alice'),
            lastSeqs: new Map([['x', 1]]),
          },
          hasConversationBudget: (conversationId) => {
            asked.push(conversationId);
            budget -= 1;
            return budget >= 0;
          },
        },
      );
      // Not for the outsider (who cannot spend a conversation's budget), the retry or the copy.
      expect(asked).toEqual(['x', 'x', 'x']);
      expect(outcomes.map(outcomeOf)).toEqual(['NOT_FOUND', 'x#1', 'x#2', 'x#2', 'x#3', 'RATE_LIMITED']);
      expect(messages.map((row) => row.seq)).toEqual([2, 3]);
    });
  });

  describe('mentions', () => {
    const ada = { id: 'ada-id', username: 'Ada' };
    const mentioning = (clientMessageId: string, words: string, senderId = 'alice') =>
      send({ clientMessageId, senderId, content: text(words), mentioned: mentionedNames(words) });
    const group = (memberCount: number) => new Map([['x', { kind: 'group' as const, memberCount }]]);

    it('stores the members a message names, leaves other names as text, and @all only in a group', () => {
      const { messages } = plan(
        [mentioning('one', '@ada and @nobody'), mentioning('two', 'no one'), mentioning('three', '@all @ADA')],
        { facts: { mentionable: new Map([['x/ada', ada]]), sizes: group(3) } },
      );
      expect(messages.map((row) => row.mentions)).toEqual([{ users: [ada] }, null, { users: [ada], everyone: 'all' }]);

      const direct = plan([mentioning('four', '@here')], {
        facts: { sizes: new Map([['x', { kind: 'direct' as const, memberCount: 2 }]]) },
      });
      expect(direct.messages[0]?.mentions).toBeNull();
    });

    it('takes @all and @here in a large group from its owner and admins only, and the rest of the batch still goes', () => {
      const { outcomes } = plan(
        [
          mentioning('member', '@here, lunch?'),
          mentioning('admin', '@all: the release is out', 'bea'),
          mentioning('by-name', '@ada only'),
        ],
        {
          facts: {
            memberships: new Map([
              ['x/alice', 'member'],
              ['x/bea', 'admin'],
            ]),
            sizes: group(EVERYONE_MENTION_OPEN_MAX_MEMBERS + 1),
          },
        },
      );
      expect(outcomes.map(outcomeOf)).toEqual(['FORBIDDEN', 'x#1', 'x#2']);
      expect(
        plan([mentioning('small', '@here')], {
          facts: { sizes: group(EVERYONE_MENTION_OPEN_MAX_MEMBERS) },
        }).outcomes.map(outcomeOf),
      ).toEqual(['x#1']);
    });
  });
});
