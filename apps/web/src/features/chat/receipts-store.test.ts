import { describe, expect, it } from 'bun:test';
import { DELIVERY_RECEIPT_INTERVAL_MS, RECEIPT_BATCH_MAX } from '@gopherchat/api';
import { createTimers } from '../../lib/timers.ts';
import { describeRefusal, fakeChatApi, ME, NOT_FOUND, OFFLINE, Refusal, summary } from '../../testing/fake-chat.ts';
import { createManualClock } from '../../testing/manual-clock.ts';
import { createChatState, emptyTimeline } from './chat-state.ts';
import { createReceiptsStore, READ_BATCH_MS } from './receipts-store.ts';

function receiptsUnderTest() {
  const clock = createManualClock();
  const server = fakeChatApi();
  const store = createChatState(undefined);
  const receipts = createReceiptsStore({
    store,
    api: server.api,
    later: createTimers(clock).later,
    describe: describeRefusal,
    myId: ME.id,
  });
  return { clock, server, store, state: store.state, receipts };
}

describe('ReceiptsStore', () => {
  it('reports the deliveries of a burst in one call once the interval has passed, furthest seq each', async () => {
    const t = receiptsUnderTest();
    t.receipts.noteDelivered('c1', 3);
    t.receipts.noteDelivered('c2', 1);
    t.receipts.noteDelivered('c1', 5);
    await t.clock.advance(DELIVERY_RECEIPT_INTERVAL_MS - 1);
    expect(t.server.callsTo('markDelivered')).toEqual([]);
    await t.clock.advance(1);
    expect(t.server.callsTo('markDelivered')).toEqual([
      {
        pointers: [
          { conversationId: 'c1', seq: 5 },
          { conversationId: 'c2', seq: 1 },
        ],
      },
    ]);
  });

  it(`splits a delivery report into calls of at most ${RECEIPT_BATCH_MAX} conversations`, async () => {
    const t = receiptsUnderTest();
    for (let index = 0; index <= RECEIPT_BATCH_MAX; index++) t.receipts.noteDelivered(`c${index}`, 1);
    await t.clock.advance(DELIVERY_RECEIPT_INTERVAL_MS);
    expect(t.server.callsTo('markDelivered').map((call) => call.pointers.length)).toEqual([RECEIPT_BATCH_MAX, 1]);
  });

  it('reports nothing the server already has of mine', async () => {
    const t = receiptsUnderTest();
    t.receipts.acknowledgeMine('c1', { lastDeliveredSeq: 7, lastReadSeq: 7 });
    t.receipts.noteDelivered('c1', 7);
    await t.clock.advance(DELIVERY_RECEIPT_INTERVAL_MS);
    expect(t.server.callsTo('markDelivered')).toEqual([]);
  });

  it('marks a conversation read here at once and on the server after the read window', async () => {
    const t = receiptsUnderTest();
    t.store.setState(
      'conversations',
      'c1',
      summary('c1', { lastSeq: 10, lastDeliveredSeq: 10, lastReadSeq: 6, unreadCount: 4 }),
    );
    t.receipts.markRead('c1', 8);
    expect(t.state.conversations.c1).toMatchObject({ lastReadSeq: 8, unreadCount: 2 });
    expect(t.server.callsTo('markRead')).toEqual([]);
    await t.clock.advance(READ_BATCH_MS);
    expect(t.server.callsTo('markRead')).toEqual([{ conversationId: 'c1', seq: 8 }]);
  });

  it('marks nothing read in a conversation it does not know', async () => {
    const t = receiptsUnderTest();
    t.receipts.markRead('unknown', 3);
    await t.clock.advance(READ_BATCH_MS);
    expect(t.server.callsTo('markRead')).toEqual([]);
  });

  it('sends a failed read again when the connection is back', async () => {
    const t = receiptsUnderTest();
    t.store.setState('conversations', 'c1', summary('c1', { lastSeq: 5 }));
    t.server.answers.markRead = async () => {
      throw new Refusal(OFFLINE);
    };
    t.receipts.markRead('c1', 5);
    await t.clock.advance(READ_BATCH_MS);
    t.server.answers.markRead = async () => undefined;
    t.receipts.retry();
    await t.clock.advance(READ_BATCH_MS);
    expect(t.server.callsTo('markRead')).toEqual([
      { conversationId: 'c1', seq: 5 },
      { conversationId: 'c1', seq: 5 },
    ]);
  });

  it('takes a read refused because I left the conversation as done, not as a failure to retry', async () => {
    const t = receiptsUnderTest();
    t.store.setState('conversations', 'left', summary('left', { lastSeq: 5 }));
    t.server.answers.markRead = async () => {
      throw new Refusal(NOT_FOUND);
    };
    t.receipts.markRead('left', 5);
    await t.clock.advance(READ_BATCH_MS);
    t.receipts.retry();
    t.receipts.markRead('left', 5);
    await t.clock.advance(READ_BATCH_MS);
    expect(t.server.callsTo('markRead')).toEqual([{ conversationId: 'left', seq: 5 }]);
  });

  it('moves others’ pointers in an open conversation, never back, and ignores conversations not open', () => {
    const t = receiptsUnderTest();
    t.store.setState('timelines', 'open', emptyTimeline());
    t.receipts.applyReceipts('open', [{ userId: 'bob', lastDeliveredSeq: 5, lastReadSeq: 3 }]);
    t.receipts.applyReceipts('open', [{ userId: 'bob', lastDeliveredSeq: 4, lastReadSeq: 4 }]);
    t.receipts.applyReceipts('closed', [{ userId: 'bob', lastDeliveredSeq: 9, lastReadSeq: 9 }]);
    expect(t.state.timelines.open?.pointers).toEqual({ bob: { lastDeliveredSeq: 5, lastReadSeq: 4 } });
    expect(t.state.timelines.closed).toBeUndefined();
  });

  it('takes my own receipt (read on another device) into my summary, and does not report that read again', async () => {
    const t = receiptsUnderTest();
    t.store.setState(
      'conversations',
      'c1',
      summary('c1', { lastSeq: 9, lastDeliveredSeq: 9, lastReadSeq: 2, unreadCount: 7 }),
    );
    t.receipts.applyReceipts('c1', [{ userId: ME.id, lastDeliveredSeq: 9, lastReadSeq: 9 }]);
    expect(t.state.conversations.c1).toMatchObject({ lastReadSeq: 9, unreadCount: 0 });
    t.receipts.markRead('c1', 9);
    await t.clock.advance(READ_BATCH_MS);
    expect(t.server.callsTo('markRead')).toEqual([]);
  });
});
