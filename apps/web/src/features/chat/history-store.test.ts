import { describe, expect, it } from 'bun:test';
import type { HistoryPage } from '@gopherchat/api';
import {
  describeRefusal,
  fakeChatApi,
  historyOf,
  member,
  message,
  messages,
  OFFLINE,
  Refusal,
  summary,
} from '../../testing/fake-chat.ts';
import { type ChatStateStore, createChatState, type Timeline } from './chat-state.ts';
import { createHistoryStore, HISTORY_PAGE, OPENING_PAGES_MAX } from './history-store.ts';

function historyUnderTest(store: ChatStateStore = createChatState(undefined)) {
  const server = fakeChatApi();
  const told: string[] = [];
  const wanted: string[][] = [];
  const history = createHistoryStore({
    store,
    api: server.api,
    people: { want: (ids) => void wanted.push([...ids]) },
    receipts: {
      advancePointers: (conversationId, receipt) =>
        store.setState('timelines', conversationId, 'pointers', receipt.userId, {
          lastDeliveredSeq: receipt.lastDeliveredSeq,
          lastReadSeq: receipt.lastReadSeq,
        }),
    },
    describe: describeRefusal,
    tell: (text) => void told.push(text),
  });
  const seqsIn = (conversationId: string) => store.state.timelines[conversationId]?.messages.map((m) => m.seq);
  return { server, store, state: store.state, history, told, wanted, seqsIn };
}

/** A conversation as the last visit left it: shown from the snapshot until the server answers. */
const cachedTimeline = (changes: Partial<Timeline>): Timeline => ({
  messages: [],
  hasOlder: false,
  isLoadingOlder: false,
  hasNewer: false,
  isLoadingNewer: false,
  members: {},
  names: {},
  pointers: {},
  unconfirmed: {},
  isCached: true,
  ...changes,
});

describe('HistoryStore', () => {
  it('opens a conversation with the pages back to its first unread message, a bounded few', async () => {
    const t = historyUnderTest();
    t.server.answers.listHistory = historyOf(messages('c1', 1, 400));
    t.store.setState('conversations', 'c1', summary('c1', { lastSeq: 400, lastReadSeq: 290, unreadCount: 110 }));
    await t.history.open('c1');
    // 101–400: the page holding 291, the first unread, and everything after it.
    expect(t.seqsIn('c1')?.[0]).toBe(251);
    expect(t.state.timelines.c1?.hasOlder).toBe(true);

    t.store.setState('conversations', 'c2', summary('c2', { lastSeq: 400, lastReadSeq: 3, unreadCount: 397 }));
    t.server.answers.listHistory = historyOf(messages('c2', 1, 400));
    await t.history.open('c2');
    expect(t.seqsIn('c2')?.length).toBe(OPENING_PAGES_MAX * HISTORY_PAGE);
  });

  it('opens a conversation with its newest page and its members, and asks only once', async () => {
    const t = historyUnderTest();
    t.server.answers.listHistory = historyOf(messages('c1', 1, 120));
    t.server.answers.listMembers = async () => [member('bob', { lastDeliveredSeq: 120, lastReadSeq: 100 })];
    await t.history.open('c1');
    expect(t.state.activeId).toBe('c1');
    expect(t.seqsIn('c1')).toEqual(messages('c1', 71, 120).map((m) => m.seq));
    expect(t.state.timelines.c1).toMatchObject({ hasOlder: true, isCached: false, names: { bob: 'Name of bob' } });
    expect(t.state.timelines.c1?.pointers.bob).toEqual({ lastDeliveredSeq: 120, lastReadSeq: 100 });

    t.history.close();
    await t.history.open('c1');
    expect(t.state.activeId).toBe('c1');
    expect(t.server.callsTo('listHistory')).toEqual([{ conversationId: 'c1', limit: HISTORY_PAGE }]);
  });

  it('keeps a live message that arrived while the first page was on its way', async () => {
    const t = historyUnderTest();
    const held = Promise.withResolvers<HistoryPage>();
    t.server.answers.listHistory = () => held.promise;
    const opening = t.history.open('c1');
    t.history.showInTimeline(message('c1', 51, 'bob'));
    held.resolve({ messages: messages('c1', 1, 50), hasMore: false });
    await opening;
    expect(t.seqsIn('c1')).toEqual(messages('c1', 1, 51).map((m) => m.seq));
  });

  it('pages back through older history one page at a time, and stops at the first message', async () => {
    const t = historyUnderTest();
    t.server.answers.listHistory = historyOf(messages('c1', 1, 120));
    await t.history.open('c1');
    const loading = t.history.loadOlder('c1');
    expect(t.state.timelines.c1?.isLoadingOlder).toBe(true);
    // Asked again while the page is on its way (scrolling does): no second request.
    await t.history.loadOlder('c1');
    await loading;
    expect(t.seqsIn('c1')).toEqual(messages('c1', 21, 120).map((m) => m.seq));
    await t.history.loadOlder('c1');
    expect(t.state.timelines.c1).toMatchObject({ hasOlder: false, isLoadingOlder: false });
    expect(t.seqsIn('c1')?.[0]).toBe(1);
    await t.history.loadOlder('c1');
    expect(t.server.callsTo('listHistory').map((call) => call.before)).toEqual([undefined, 71, 21]);
  });

  it('tells why an older page could not be had, and lets the next scroll ask again', async () => {
    const t = historyUnderTest();
    t.server.answers.listHistory = historyOf(messages('c1', 1, 60));
    await t.history.open('c1');
    t.server.answers.listHistory = async () => {
      throw new Refusal(OFFLINE);
    };
    await t.history.loadOlder('c1');
    expect(t.told).toEqual([OFFLINE.userMessage]);
    expect(t.state.timelines.c1?.isLoadingOlder).toBe(false);
    t.server.answers.listHistory = historyOf(messages('c1', 1, 60));
    await t.history.loadOlder('c1');
    expect(t.seqsIn('c1')).toHaveLength(60);
  });

  it('shows the snapshot’s copy until the server’s page replaces it, stale messages and all', async () => {
    const stale = { ...message('c1', 2, 'bob', 'before the edit') };
    const store = createChatState(undefined);
    store.setState('timelines', 'c1', cachedTimeline({ messages: [message('c1', 1, 'bob'), stale] }));
    const t = historyUnderTest(store);
    const held = Promise.withResolvers<HistoryPage>();
    t.server.answers.listHistory = () => held.promise;
    const opening = t.history.open('c1');
    expect(t.state.timelines.c1?.messages[1]).toEqual(stale);
    held.resolve({ messages: [message('c1', 1, 'bob'), message('c1', 2, 'bob', 'after the edit')], hasMore: false });
    await opening;
    expect(t.state.timelines.c1?.messages.map((m) => m.content)).toEqual([
      { type: 'text', text: 'message 1' },
      { type: 'text', text: 'after the edit' },
    ]);
    expect(t.state.timelines.c1?.isCached).toBe(false);
  });

  it('offline, keeps the snapshot’s copy without a word; with none, goes back to the list and says why', async () => {
    const store = createChatState(undefined);
    store.setState('timelines', 'cached', cachedTimeline({ messages: [message('cached', 1, 'bob')] }));
    const t = historyUnderTest(store);
    t.server.answers.listHistory = async () => {
      throw new Refusal(OFFLINE);
    };
    await t.history.open('cached');
    expect(t.seqsIn('cached')).toEqual([1]);
    expect(t.told).toEqual([]);

    await t.history.open('fresh');
    expect(t.state.timelines.fresh).toBeUndefined();
    expect(t.state.activeId).toBeUndefined();
    expect(t.told).toEqual([OFFLINE.userMessage]);
  });

  it('looks up the people named in the history whom the member list does not cover', async () => {
    const t = historyUnderTest();
    const note = {
      ...message('c1', 2, null),
      content: { type: 'system', event: { kind: 'member_left', userId: 'gone' } },
    } as const;
    t.server.answers.listHistory = async () => ({ messages: [message('c1', 1, 'bob'), note], hasMore: false });
    t.server.answers.listMembers = async () => [member('bob')];
    await t.history.open('c1');
    expect(t.wanted).toEqual([['gone']]);
  });

  describe('a window further back', () => {
    /** A conversation on a server that gets new messages: each page is read as the server stands when asked. */
    async function serverWithWindow() {
      const t = historyUnderTest();
      const onServer = messages('c1', 1, 400);
      t.server.answers.listHistory = async (input) => historyOf(onServer)(input);
      t.store.setState('conversations', 'c1', summary('c1', { lastSeq: 400, lastReadSeq: 400 }));
      await t.history.open('c1');
      /** A new message: on the server, then live here. */
      const arrive = (seq: number) => {
        const arrived = message('c1', seq, 'bob');
        onServer.push(arrived);
        t.history.showInTimeline(arrived);
        t.store.setState('conversations', 'c1', 'lastSeq', seq);
      };
      /** Holds the next page's answer, read as the server stands now, until `release`. */
      const holdNextPage = () => {
        let release = () => {};
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        t.server.answers.listHistory = async (input) => {
          t.server.answers.listHistory = async (later) => historyOf(onServer)(later);
          const page = await historyOf([...onServer])(input);
          await released;
          return page;
        };
        return release;
      };
      return { ...t, onServer, arrive, holdNextPage };
    }
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

    it('opens around a message however far back, and loads newer pages up to the newest', async () => {
      const t = await serverWithWindow();
      await t.history.openAround('c1', 100);
      expect(t.seqsIn('c1')).toEqual(range(51, 150));
      expect(t.state.timelines.c1).toMatchObject({ hasOlder: true, hasNewer: true, isLoadingNewer: false });

      while (t.state.timelines.c1?.hasNewer) await t.history.loadNewer('c1');
      expect(t.seqsIn('c1')).toEqual(range(51, 400));
    });

    it('holds back live messages past the window, and shows those that came while the page reaching them was read', async () => {
      const t = await serverWithWindow();
      await t.history.openAround('c1', 300);
      expect(t.seqsIn('c1')).toEqual(range(251, 350));
      t.arrive(401);
      expect(t.seqsIn('c1')).toEqual(range(251, 350));

      // Read while 402 was not there yet: one page short of the newest, so 402 waits for the next.
      let release = t.holdNextPage();
      let loading = t.history.loadNewer('c1');
      t.arrive(402);
      release();
      await loading;
      expect(t.seqsIn('c1')).toEqual(range(251, 400));
      expect(t.state.timelines.c1?.hasNewer).toBe(true);

      // This page reaches the newest: 403, which came while it was read, follows it.
      release = t.holdNextPage();
      loading = t.history.loadNewer('c1');
      t.arrive(403);
      release();
      await loading;
      expect(t.seqsIn('c1')).toEqual(range(251, 403));
      expect(t.state.timelines.c1?.hasNewer).toBe(false);

      t.arrive(404);
      expect(t.seqsIn('c1')?.at(-1)).toBe(404);
    });

    it('takes no window for a conversation that is not open', async () => {
      const t = await serverWithWindow();
      await t.history.openAround('elsewhere', 5);
      expect(t.state.timelines.elsewhere).toBeUndefined();
      expect(t.told).toEqual([]);
    });

    it('shows an edit made while a window was read', async () => {
      const t = await serverWithWindow();
      const release = t.holdNextPage();
      const opening = t.history.openAround('c1', 100);
      const edited = { ...message('c1', 120, 'bob', 'edited'), revision: 2 };
      t.history.showInTimeline(edited);
      release();
      await opening;
      const shown = t.state.timelines.c1?.messages.find((m) => m.seq === 120);
      expect(shown?.content).toEqual({ type: 'text', text: 'edited' });
    });

    it('goes back to the newest page, and a later load wins over one still under way', async () => {
      const t = await serverWithWindow();
      await t.history.openAround('c1', 100);
      const release = t.holdNextPage();
      const slow = t.history.loadNewer('c1');
      await t.history.showNewest('c1');
      release();
      await slow;
      expect(t.seqsIn('c1')).toEqual(range(351, 400));
      expect(t.state.timelines.c1).toMatchObject({ hasOlder: true, hasNewer: false, isLoadingNewer: false });
    });
  });
});
