import { MENTIONS_MAX, type Message, mentionedNames, type TSendMessageInput } from '@gopherchat/api';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import { createGroupCommit } from '../../lib/group-commit.ts';
import type { TokenBuckets } from '../../lib/token-buckets.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { isRefusedData, type PipelinedTransaction } from '../../platform/database/index.ts';
import type { AttachmentsForMessages } from './attachments-port.ts';
import type { EventLog } from './event-log.ts';
import { planSends, type SendBatchFacts, type SendRequest, triageSends } from './send-batch.ts';
import { conversationStatements } from './statements.ts';

/** Who `text` names, when anyone; refused past `MENTIONS_MAX` people, which is a broadcast. */
export function mentionsWritten(text: string): SendRequest['mentioned'] {
  const mentioned = mentionedNames(text);
  if (mentioned.usernames.length > MENTIONS_MAX) {
    throw new AppError(
      'INVALID_INPUT',
      `A message can mention at most ${MENTIONS_MAX} people. To reach a whole group, mention @all.`,
    );
  }
  return mentioned.usernames.length > 0 || mentioned.everyone ? mentioned : undefined;
}

/**
 * The send path: sends are group-committed, each batch in one transaction
 * of the event log's, and each send is acknowledged only once its batch has
 * committed.
 */
export function createSends(deps: {
  log: EventLog;
  clock: Clock;
  /** How long a send waits for others to share its transaction. */
  windowMs?: number;
  sendLimits: { perSender: TokenBuckets; perConversation: TokenBuckets };
  attachments: AttachmentsForMessages;
}) {
  const { log, clock, sendLimits, attachments } = deps;

  /**
   * Writes one batch of sends in one transaction of two round trips (three
   * when it claims files); each request gets its message or its error.
   */
  async function flushSends(batch: SendRequest[]): Promise<Array<Message | Error>> {
    return log.writePipelined(async (tx) => {
      const at = new Date(clock.now());
      // With the log's lock and BEGIN: one round trip.
      const facts = await readFacts(tx, batch);
      const triage = triageSends(
        batch,
        facts,
        (conversationId) => sendLimits.perConversation.take(conversationId).isAllowed,
      );
      const [claimed] =
        triage.claims.length > 0 ? await tx.send([attachments.claim(triage.claims)]) : [new Set<string>()];
      const plan = planSends(triage, facts, claimed, { at, newId: uuidv7 });
      return {
        result: plan.outcomes,
        events: plan.events,
        // Sent with the log's insert and COMMIT. In this order: the pointers' cap (the conversation's last seq)
        // must already count this batch.
        writes: [
          conversationStatements.recordLastSeqs(plan.lastSeqs, at),
          conversationStatements.insertMessages(plan.messages),
          conversationStatements.advancePointers(plan.readPointers),
        ],
      };
    });
  }

  /** What the batch's sends are decided on, read in one round trip; mentions are looked up only when there are some. */
  async function readFacts(tx: PipelinedTransaction, batch: SendRequest[]): Promise<SendBatchFacts> {
    const always = [
      conversationStatements.findByClientIds(batch),
      conversationStatements.existingMemberships(
        batch.map((request) => ({ conversationId: request.conversationId, userId: request.senderId })),
      ),
      conversationStatements.lastSeqs([...new Set(batch.map((request) => request.conversationId))]),
    ] as const;
    const named = batch.flatMap(({ conversationId, mentioned }) =>
      (mentioned?.usernames ?? []).map((username) => ({ conversationId, username })),
    );
    const everyoneIn = [
      ...new Set(batch.filter((send) => send.mentioned?.everyone).map((send) => send.conversationId)),
    ];
    if (named.length === 0 && everyoneIn.length === 0) {
      const [sentBefore, memberships, lastSeqs] = await tx.send(always);
      return { sentBefore, memberships, lastSeqs, mentionable: new Map(), sizes: new Map() };
    }
    const [sentBefore, memberships, lastSeqs, mentionable, sizes] = await tx.send([
      ...always,
      conversationStatements.mentionable(named),
      conversationStatements.conversationSizes(everyoneIn),
    ] as const);
    return { sentBefore, memberships, lastSeqs, mentionable, sizes };
  }

  const sends = createGroupCommit<SendRequest, Message>({
    flush: flushSends,
    windowMs: deps.windowMs ?? 2,
    maxBatch: 256,
    now: () => clock.now(),
    // Inputs are checked before they get here; this keeps a value PostgreSQL still refuses to its own send.
    isolate: {
      isInputFault: isRefusedData,
      asRefusal: (error) =>
        new AppError('INVALID_INPUT', 'That message could not be saved as written. Change it and send again.', {
          cause: error,
        }),
    },
  });

  function takeSenderBudget(userId: string) {
    if (!sendLimits.perSender.take(userId).isAllowed) {
      throw new AppError(
        'RATE_LIMITED',
        'You are sending messages faster than the server takes. They will go in a moment.',
      );
    }
  }

  return {
    /** How long the send batch in flight has been writing (0: none is); see readiness. */
    stalledForMs: () => sends.stalledForMs(),

    /** Durable when it resolves. A retry with the same client id resolves to the original message. */
    async send(userId: string, input: TSendMessageInput): Promise<Message> {
      takeSenderBudget(userId);
      const { content } = input;
      const mentioned = mentionsWritten(content.type === 'text' ? content.text : (content.caption ?? ''));
      if (content.type === 'text') return sends.submit({ ...input, content, senderId: userId, mentioned });
      const attachment = await attachments.factsForSend(userId, content.attachmentId);
      return sends.submit({
        ...input,
        content: { type: 'attachment', attachment, caption: content.caption || null },
        attachmentId: attachment.id,
        senderId: userId,
        mentioned,
      });
    },

    /** Sends content the server made (a forwarded copy), on the same path and budget as a send. */
    sendMade(request: SendRequest): Promise<Message> {
      takeSenderBudget(request.senderId);
      return sends.submit(request);
    },
  };
}
