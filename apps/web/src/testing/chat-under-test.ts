import type { AttachmentStatus, Message, UserEvent, UserProfile } from '@gopherchat/api';
import { createChat } from '../features/chat/chat.ts';
import type { EventStreamHandlers } from '../features/chat/chat-deps.ts';
import { describeRefusal, fakeChatApi, historyOf, ME, MemoryStorage, member, messages, summary } from './fake-chat.ts';
import { createManualClock } from './manual-clock.ts';

export const SNAPSHOT_KEY = 'gopherchat.offline.me';

/**
 * A chat on fakes of everything it takes: a fake server, a manual clock,
 * storage in memory, and a live stream, connection and page the test drives.
 */
export function chatUnderTest(storage = new MemoryStorage()) {
  const clock = createManualClock();
  const server = fakeChatApi();
  let stream: EventStreamHandlers | undefined;
  const liveListeners = new Set<() => void>();
  const lostListeners = new Set<() => void>();
  let leavePage: (() => void) | undefined;
  const adopted: UserProfile[] = [];
  const statuses: AttachmentStatus[] = [];
  const page = { isSignedIn: true };
  let ids = 0;
  const chat = createChat({
    me: ME,
    api: server.api,
    subscribeEvents(handlers) {
      stream = handlers;
      return () => {
        stream = undefined;
      };
    },
    whenLive(listener) {
      liveListeners.add(listener);
      return () => liveListeners.delete(listener);
    },
    whenLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    clock,
    // The longest jitter: a retry is due as late as it can be.
    random: () => 0.999,
    storage,
    snapshotKey: SNAPSHOT_KEY,
    newId: () => `client-${++ids}`,
    describe: describeRefusal,
    isSignedIn: () => page.isSignedIn,
    onPageLeave(save) {
      leavePage = save;
      return () => {
        leavePage = undefined;
      };
    },
    adoptMyProfile: (profile) => void adopted.push(profile),
    applyAttachmentStatus: (status) => void statuses.push(status),
  });
  const subscribed = () => {
    if (!stream) throw new Error('The chat is not subscribed.');
    return stream;
  };
  return {
    chat,
    state: chat.state,
    clock,
    server,
    storage,
    adopted,
    statuses,
    page,
    isSubscribed: () => stream !== undefined,
    /** The server starts the stream; resolves once what the chat fetched then (its list) is in. */
    start: () => subscribed().onStarted(),
    /** Events arrive; resolves once what they made the chat fetch is in. */
    receive: (...events: UserEvent[]) => subscribed().onEvents(events),
    goLive() {
      for (const listener of liveListeners) listener();
    },
    loseConnection() {
      for (const listener of lostListeners) listener();
    },
    leavePage: () => leavePage?.(),
    seqsIn: (conversationId: string) => chat.state.timelines[conversationId]?.messages.map((m) => m.seq),
  };
}

export const arrived = (message: Message): UserEvent => ({ kind: 'message', message });

/** A chat with conversation c1 (history 1…10, bob and me in it) loaded and open. */
export async function openConversation() {
  const t = chatUnderTest();
  t.server.answers.listConversations = async () => [
    summary('c1', { lastSeq: 10, lastDeliveredSeq: 10, lastReadSeq: 10 }),
  ];
  t.server.answers.listHistory = historyOf(messages('c1', 1, 10));
  t.server.answers.listMembers = async () => [member(ME.id), member('bob')];
  await t.start();
  await t.chat.open('c1');
  return t;
}
