import { describe, expect, it } from 'bun:test';
import { type AttachmentStatus, DELIVERY_RECEIPT_INTERVAL_MS, type Message, TYPING_SHOWN_MS } from '@gopherchat/api';
import { arrived, chatUnderTest, openConversation, SNAPSHOT_KEY } from '../../testing/chat-under-test.ts';
import {
  historyOf,
  ME,
  MemoryStorage,
  member,
  message,
  messages,
  NOT_FOUND,
  OFFLINE,
  Refusal,
  summary,
} from '../../testing/fake-chat.ts';
import { READ_BATCH_MS } from './receipts-store.ts';
import { readSnapshot, takeSnapshot, writeSnapshot } from './snapshot.ts';

describe('createChat, live events', () => {
  it('shows a message from someone else, counts it unread, moves their pointers and reports it delivered', async () => {
    const t = await openConversation();
    await t.receive({ kind: 'typing', conversationId: 'c1', userId: 'bob', isTyping: true });
    await t.receive(arrived(message('c1', 11, 'bob')));
    expect(t.seqsIn('c1')?.at(-1)).toBe(11);
    expect(t.state.conversations.c1).toMatchObject({ lastSeq: 11, unreadCount: 1, lastReadSeq: 10 });
    expect(t.state.timelines.c1?.pointers.bob).toEqual({ lastDeliveredSeq: 11, lastReadSeq: 11 });
    // Their message is what they were typing.
    expect(t.state.typing.c1).toEqual({});
    await t.clock.advance(DELIVERY_RECEIPT_INTERVAL_MS);
    expect(t.server.callsTo('markDelivered')).toEqual([{ pointers: [{ conversationId: 'c1', seq: 11 }] }]);
  });

  it('counts my own message from another device as read, and reports nothing of it', async () => {
    const t = await openConversation();
    await t.receive(arrived(message('c1', 11, ME.id)));
    expect(t.state.conversations.c1).toMatchObject({ lastSeq: 11, unreadCount: 0, lastReadSeq: 11 });
    await t.clock.advance(DELIVERY_RECEIPT_INTERVAL_MS);
    expect(t.server.callsTo('markDelivered')).toEqual([]);
  });

  it('fetches a conversation it hears of for the first time', async () => {
    const t = chatUnderTest();
    await t.start();
    t.server.answers.getConversation = async ({ conversationId }) => summary(conversationId, { lastSeq: 1 });
    await t.receive(arrived(message('new', 1, 'bob')));
    expect(t.server.callsTo('getConversation')).toEqual([{ conversationId: 'new' }]);
    expect(t.state.conversations.new?.lastSeq).toBe(1);
  });

  it('fetches the conversation and its members again when someone else leaves', async () => {
    const t = await openConversation();
    t.server.answers.getConversation = async () => summary('c1', { lastSeq: 11, memberCount: 1 });
    t.server.answers.listMembers = async () => [member(ME.id)];
    const note = {
      ...message('c1', 11, null),
      content: { type: 'system', event: { kind: 'member_left', userId: 'bob' } },
    };
    await t.receive(arrived(note as Message));
    expect(t.state.conversations.c1?.memberCount).toBe(1);
    expect(Object.keys(t.state.timelines.c1?.members ?? {})).toEqual([ME.id]);
  });

  it('forgets a conversation I was removed from, closes it, and says so', async () => {
    const t = await openConversation();
    await t.receive({ kind: 'removed_from_conversation', conversationId: 'c1' });
    expect(t.state.conversations.c1).toBeUndefined();
    expect(t.state.timelines.c1).toBeUndefined();
    expect(t.state.activeId).toBeUndefined();
    expect(t.chat.notice()?.text).toBe('You are no longer in “Group c1”.');
  });

  it('says nothing of the server’s goodbye to a group I am leaving', async () => {
    const t = await openConversation();
    const held = Promise.withResolvers<void>();
    t.server.answers.leaveGroup = () => held.promise;
    const leaving = t.chat.leaveGroup('c1');
    await t.receive({ kind: 'removed_from_conversation', conversationId: 'c1' });
    held.resolve();
    await expect(leaving).resolves.toBeUndefined();
    expect(t.state.conversations.c1).toBeUndefined();
    expect(t.chat.notice()).toBeUndefined();
  });

  it('forgets a conversation the server no longer has me in when it changes', async () => {
    const t = await openConversation();
    t.server.answers.getConversation = async () => {
      throw new Refusal(NOT_FOUND);
    };
    await t.receive({ kind: 'conversation_updated', conversationId: 'c1' });
    expect(t.state.conversations.c1).toBeUndefined();
  });

  it('moves pointers on receipts, and mine in my summary', async () => {
    const t = await openConversation();
    await t.receive(arrived(message('c1', 11, 'bob')));
    await t.receive({
      kind: 'receipts',
      conversationId: 'c1',
      receipts: [
        { userId: ME.id, lastDeliveredSeq: 11, lastReadSeq: 11 },
        { userId: 'cy', lastDeliveredSeq: 11, lastReadSeq: 9 },
      ],
    });
    expect(t.state.conversations.c1?.unreadCount).toBe(0);
    expect(t.state.timelines.c1?.pointers.cy).toEqual({ lastDeliveredSeq: 11, lastReadSeq: 9 });
  });

  it('keeps presence, typing that lapses, and hands file news on', async () => {
    const t = await openConversation();
    const presence = { userId: 'bob', isOnline: true, lastSeenAt: '2030-01-01T00:00:00.000Z' };
    const status: AttachmentStatus = { id: 'file', state: 'ready', placeholder: null, hasThumbnail: true };
    await t.receive(
      { kind: 'presence', users: [presence] },
      { kind: 'typing', conversationId: 'c1', userId: 'bob', isTyping: true },
      { kind: 'attachment_updated', attachment: status },
    );
    expect(t.state.presence.bob).toEqual(presence);
    expect(Object.keys(t.state.typing.c1 ?? {})).toEqual(['bob']);
    expect(t.statuses).toEqual([status]);
    await t.clock.advance(TYPING_SHOWN_MS);
    expect(t.state.typing.c1).toEqual({});
  });

  it('renames someone everywhere their profile shows, and adopts my own', async () => {
    const t = chatUnderTest();
    const peer = member('bob');
    t.server.answers.listConversations = async () => [summary('d1', { kind: 'direct', title: 'Name of bob', peer })];
    t.server.answers.listMembers = async () => [member(ME.id), peer];
    await t.start();
    await t.chat.open('d1');
    const bob = { id: 'bob', username: 'bobby', displayName: 'Robert', avatarKey: null };
    const mine = { id: ME.id, username: ME.username, displayName: 'Me, renamed', avatarKey: null };
    await t.receive({ kind: 'profile', profile: bob }, { kind: 'profile', profile: mine });
    expect(t.state.conversations.d1).toMatchObject({
      title: 'Robert',
      peer: { displayName: 'Robert', username: 'bobby' },
    });
    expect(t.state.timelines.d1?.members.bob).toMatchObject({ displayName: 'Robert', username: 'bobby' });
    expect(t.state.timelines.d1?.names.bob).toBe('Robert');
    expect(t.chat.people.names.bob).toBe('Robert');
    expect(t.adopted).toEqual([mine]);
  });

  it('reloads the list and the open conversation after a resync', async () => {
    const t = await openConversation();
    t.server.answers.listHistory = historyOf(messages('c1', 1, 12));
    await t.receive({ kind: 'resync' });
    expect(t.server.callsTo('listConversations')).toHaveLength(2);
    expect(t.seqsIn('c1')?.at(-1)).toBe(12);
    expect(t.state.activeId).toBe('c1');
  });
});

describe('createChat, offline snapshot', () => {
  it('shows what the last visit left until the list arrives, then drops the conversations I left meanwhile', async () => {
    const storage = new MemoryStorage();
    const kept = takeSnapshot([summary('stays'), summary('left')], {
      stays: { messages: messages('stays', 1, 3), hasOlder: false, members: {}, names: {}, pointers: {} },
    });
    writeSnapshot(storage, SNAPSHOT_KEY, kept);
    const t = chatUnderTest(storage);
    expect(Object.keys(t.state.conversations).sort()).toEqual(['left', 'stays']);
    expect(t.state.timelines.stays?.isCached).toBe(true);
    t.server.answers.listConversations = async () => [summary('stays')];
    await t.start();
    expect(Object.keys(t.state.conversations)).toEqual(['stays']);
    expect(t.state.isListLoaded).toBe(true);
  });

  it('fetches the open conversation’s page when the stream starts while it shows the snapshot’s copy', async () => {
    const storage = new MemoryStorage();
    writeSnapshot(
      storage,
      SNAPSHOT_KEY,
      takeSnapshot([summary('c1')], {
        c1: { messages: messages('c1', 1, 3), hasOlder: false, members: {}, names: {}, pointers: {} },
      }),
    );
    const t = chatUnderTest(storage);
    // Offline: the page is not to be had, and the snapshot's copy stays.
    t.server.answers.listHistory = async () => {
      throw new Refusal(OFFLINE);
    };
    await t.chat.open('c1');
    expect(t.seqsIn('c1')).toEqual([1, 2, 3]);
    t.server.answers.listConversations = async () => [summary('c1', { lastSeq: 5 })];
    t.server.answers.listHistory = historyOf(messages('c1', 1, 5));
    await t.start();
    expect(t.seqsIn('c1')).toEqual([1, 2, 3, 4, 5]);
    expect(t.state.timelines.c1?.isCached).toBe(false);
  });

  it('keeps the chat as it is when the page is left or the chat ends, but not once signed out', async () => {
    const t = await openConversation();
    t.leavePage();
    const saved = readSnapshot(t.storage, SNAPSHOT_KEY);
    expect(saved?.conversations.map((conversation) => conversation.id)).toEqual(['c1']);
    expect(saved?.timelines.c1?.messages.map((m) => m.seq)).toEqual(messages('c1', 1, 10).map((m) => m.seq));

    t.storage.removeItem(SNAPSHOT_KEY);
    t.page.isSignedIn = false;
    t.chat.dispose();
    expect(t.storage.getItem(SNAPSHOT_KEY)).toBeNull();
  });
});

describe('createChat, sending and changing messages', () => {
  it('sends from the outbox, and shows the server’s copy once it has it', async () => {
    const t = await openConversation();
    t.server.answers.sendMessage = async (input) => ({
      ...message('c1', 11, ME.id, 'hello'),
      clientMessageId: input.clientMessageId,
    });
    const sending = t.chat.send('c1', 'hello', 10);
    expect(t.state.outbox).toEqual([expect.objectContaining({ text: 'hello', replyToSeq: 10, state: 'pending' })]);
    await sending;
    expect(t.server.callsTo('sendMessage')).toEqual([
      { conversationId: 'c1', clientMessageId: 'client-1', content: { type: 'text', text: 'hello' }, replyToSeq: 10 },
    ]);
    expect(t.state.outbox).toEqual([]);
    expect(t.seqsIn('c1')?.at(-1)).toBe(11);
    expect(t.state.conversations.c1).toMatchObject({ lastSeq: 11, unreadCount: 0 });
  });

  it('sends what waited, and retries receipts, each time the connection is live again', async () => {
    const t = await openConversation();
    const offline = async () => {
      throw new Refusal(OFFLINE);
    };
    t.server.answers.sendMessage = offline;
    t.server.answers.markRead = offline;
    await t.receive(arrived(message('c1', 11, 'bob')));
    t.chat.markRead('c1', 11);
    await t.clock.advance(READ_BATCH_MS);
    expect(t.server.callsTo('markRead')).toHaveLength(1);
    // Sent last: the outbox's own retry (about 500 ms later at this jitter) is not due before the connection is back.
    await t.chat.send('c1', 'later');
    expect(t.server.callsTo('sendMessage')).toHaveLength(1);

    t.server.answers.sendMessage = async (input) => ({
      ...message('c1', 12, ME.id),
      clientMessageId: input.clientMessageId,
    });
    t.server.answers.markRead = async () => undefined;
    t.goLive();
    await t.clock.advance(READ_BATCH_MS);
    expect(t.server.callsTo('sendMessage')).toHaveLength(2);
    expect(t.server.callsTo('markRead')).toEqual([
      { conversationId: 'c1', seq: 11 },
      { conversationId: 'c1', seq: 11 },
    ]);
  });

  it('shows an edit at once, and the message as it was when the server refuses it, saying why', async () => {
    const t = await openConversation();
    const refusal = Promise.withResolvers<Message>();
    t.server.answers.editMessage = () => refusal.promise;
    const editing = t.chat.edit('c1', 10, 'changed');
    expect(t.state.timelines.c1?.unconfirmed[10]?.content).toEqual({ type: 'text', text: 'changed' });
    refusal.reject(new Refusal({ appCode: 'FORBIDDEN', userMessage: 'Only the sender can edit a message.' }));
    await editing;
    expect(t.state.timelines.c1?.unconfirmed).toEqual({});
    expect(t.chat.notice()?.text).toBe('Only the sender can edit a message.');
  });

  it('stops listening, and leaves nothing scheduled, once disposed', async () => {
    const t = await openConversation();
    await t.receive({ kind: 'typing', conversationId: 'c1', userId: 'bob', isTyping: true });
    expect(t.clock.pendingTimers).toBeGreaterThan(0);
    t.chat.dispose();
    expect(t.isSubscribed()).toBe(false);
    expect(t.clock.pendingTimers).toBe(0);
  });
});

describe('createChat, presence', () => {
  const online = (userId: string) => ({ userId, isOnline: true, lastSeenAt: null });
  const offline = (userId: string, lastSeenAt: string) => ({ userId, isOnline: false, lastSeenAt });

  it('merges changes, and shows nobody online or offline once my connection is lost, until the next greeting', async () => {
    const t = await openConversation();
    await t.receive({ kind: 'presence', users: [online('bob'), online('cy')] });
    await t.receive({ kind: 'presence', users: [offline('cy', '2026-01-01T10:00:00.000Z')] });
    expect(t.state.presence).toEqual({ bob: online('bob'), cy: offline('cy', '2026-01-01T10:00:00.000Z') });

    t.loseConnection();
    expect(t.state.presence).toEqual({});
    await t.receive({ kind: 'presence', users: [online('bob')] });
    expect(t.state.presence).toEqual({ bob: online('bob') });
  });

  it('shows someone back from away: a newer report replaces the older, fields it no longer has included', async () => {
    const t = await openConversation();
    await t.receive({ kind: 'presence', users: [{ ...online('bob'), isAway: true }] });
    expect(t.state.presence.bob?.isAway).toBe(true);
    await t.receive({ kind: 'presence', users: [online('bob')] });
    expect(t.state.presence.bob).toEqual(online('bob'));
  });

  it('forgets everyone while the server says presence is stale, and takes its fresh view as everyone', async () => {
    const t = await openConversation();
    await t.receive({ kind: 'presence', users: [online('bob'), online('cy'), online('dan')] });
    await t.receive({ kind: 'presence', users: [], isStale: true });
    expect(t.state.presence).toEqual({});
    // Cy went offline meanwhile; Dan left my last shared conversation, so the view no longer has him.
    const [bob, cy] = [online('bob'), offline('cy', '2026-01-01T10:00:00.000Z')];
    await t.receive({ kind: 'presence', users: [bob, cy], isStale: false });
    expect(t.state.presence).toEqual({ bob, cy });
  });
});
