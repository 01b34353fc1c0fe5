import type { ConversationSummary, Me, Member, Message, UserEvent } from '@gopherchat/api';
import { backoffDelay, toAppError } from '@gopherchat/sdk';
import { batch, createMemo, onCleanup } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { attempt, gopher } from '../../lib/session.ts';
import { createOutbox, type OutgoingMessage } from './outbox.ts';
import { byActivity, mergeMessages, summaryAfterMessage } from './timeline.ts';

const HISTORY_PAGE = 50;

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** The loaded part of one conversation's history. */
export interface Timeline {
  messages: Message[];
  /** Older messages exist on the server beyond the first loaded one. */
  hasOlder: boolean;
  isLoadingOlder: boolean;
  members: Record<string, Member>;
}

interface ChatState {
  conversations: Record<string, ConversationSummary>;
  timelines: Record<string, Timeline>;
  outbox: OutgoingMessage[];
  activeId: string | undefined;
  isListLoaded: boolean;
  live: LiveStatus;
  /** The latest problem to tell the person about (a toast). */
  notice: { id: number; text: string } | undefined;
}

/**
 * Everything the chat screens show, kept current by the one event
 * subscription: conversations, the loaded part of each history, and the
 * outbox. Events and fetched pages overlap freely; merges are by `seq`, so
 * order of arrival does not matter.
 */
export function createChatStore(me: Me) {
  const [state, setState] = createStore<ChatState>({
    conversations: {},
    timelines: {},
    outbox: [],
    activeId: undefined,
    isListLoaded: false,
    live: 'connecting',
    notice: undefined,
  });
  let noticeCount = 0;
  const tell = (text: string) => setState('notice', { id: ++noticeCount, text });

  const conversationList = createMemo(() => Object.values(state.conversations).sort(byActivity));

  function upsertSummary(summary: ConversationSummary) {
    setState('conversations', summary.id, summary);
  }

  function applyMessage(message: Message) {
    batch(() => {
      if (state.timelines[message.conversationId]) {
        setState('timelines', message.conversationId, 'messages', (messages) => mergeMessages(messages, [message]));
      }
      const summary = state.conversations[message.conversationId];
      if (summary) {
        upsertSummary(
          summaryAfterMessage(summary, message, {
            userId: me.id,
            isViewing: state.activeId === message.conversationId && document.visibilityState === 'visible',
          }),
        );
      } else {
        void refreshConversation(message.conversationId);
      }
    });
  }

  function forget(conversationId: string) {
    setState(
      produce((draft) => {
        delete draft.conversations[conversationId];
        delete draft.timelines[conversationId];
        if (draft.activeId === conversationId) draft.activeId = undefined;
      }),
    );
  }

  async function refreshConversation(conversationId: string) {
    try {
      upsertSummary(await gopher.api.conversations.get.query({ conversationId }));
      if (state.timelines[conversationId]) await loadMembers(conversationId);
    } catch (error) {
      if (toAppError(error).appCode === 'NOT_FOUND') forget(conversationId);
    }
  }

  function handle(event: UserEvent) {
    switch (event.kind) {
      case 'message':
      case 'message_updated':
        applyMessage(event.message);
        return;
      case 'conversation_updated':
        void refreshConversation(event.conversationId);
        return;
      case 'removed_from_conversation': {
        const title = state.conversations[event.conversationId]?.title;
        forget(event.conversationId);
        if (title) tell(`You are no longer in “${title}”.`);
        return;
      }
      case 'resync':
        void reloadEverything();
        return;
    }
  }

  async function loadList() {
    const list = await gopher.api.conversations.list.query();
    setState(
      produce((draft) => {
        for (const summary of list) draft.conversations[summary.id] = summary;
        draft.isListLoaded = true;
      }),
    );
  }

  /** After a gap too large to replay: whatever is on screen may be stale. */
  async function reloadEverything() {
    setState(
      produce((draft) => {
        draft.conversations = {};
        draft.timelines = {};
      }),
    );
    await loadList().catch((error) => tell(toAppError(error).userMessage));
    if (state.activeId) await open(state.activeId);
  }

  const byUserId = (members: Member[]) => Object.fromEntries(members.map((member) => [member.userId, member]));

  async function loadMembers(conversationId: string) {
    const members = await gopher.api.conversations.members.query({ conversationId });
    setState('timelines', conversationId, 'members', byUserId(members));
  }

  /** Shows a conversation: its newest page of history (once), and marks it read here. */
  async function open(conversationId: string) {
    setState('activeId', conversationId);
    if (state.conversations[conversationId]) setState('conversations', conversationId, 'unreadCount', 0);
    if (state.timelines[conversationId]) return;
    // In place before the page is asked for, so live messages racing it are kept.
    setState('timelines', conversationId, { messages: [], members: {}, hasOlder: false, isLoadingOlder: false });
    try {
      const [page, members] = await Promise.all([
        gopher.api.messages.history.query({ conversationId, limit: HISTORY_PAGE }),
        gopher.api.conversations.members.query({ conversationId }),
      ]);
      setState('timelines', conversationId, (timeline) => ({
        members: byUserId(members),
        isLoadingOlder: false,
        hasOlder: page.hasMore,
        messages: mergeMessages(page.messages, timeline?.messages ?? []),
      }));
    } catch (error) {
      setState(
        'timelines',
        produce((timelines) => void delete timelines[conversationId]),
      );
      tell(toAppError(error).userMessage);
    }
  }

  async function loadOlder(conversationId: string) {
    const timeline = state.timelines[conversationId];
    const oldest = timeline?.messages[0];
    if (!timeline || !oldest || !timeline.hasOlder || timeline.isLoadingOlder) return;
    setState('timelines', conversationId, 'isLoadingOlder', true);
    try {
      const page = await gopher.api.messages.history.query({ conversationId, before: oldest.seq, limit: HISTORY_PAGE });
      setState('timelines', conversationId, (current) => ({
        ...current,
        hasOlder: page.hasMore,
        messages: mergeMessages(current.messages, page.messages),
      }));
    } catch (error) {
      tell(toAppError(error).userMessage);
    } finally {
      setState('timelines', conversationId, 'isLoadingOlder', false);
    }
  }

  const outbox = createOutbox({
    storage: localStorage,
    storageKey: `gopherchat.outbox.${me.id}`,
    send: (message) =>
      gopher.api.messages.send.mutate({
        conversationId: message.conversationId,
        clientMessageId: message.clientMessageId,
        content: { type: 'text', text: message.text },
      }),
    describe: toAppError,
    onSent: (message) => applyMessage(message),
    onChange: (queue) => setState('outbox', [...queue]),
    retryDelayMs: (attempt) => backoffDelay(attempt),
  });
  setState('outbox', [...outbox.queue]);

  function send(conversationId: string, text: string) {
    outbox.enqueue({ clientMessageId: crypto.randomUUID(), conversationId, text, writtenAt: new Date().toISOString() });
  }

  /** Adds a conversation just made here, and opens it. */
  async function openNew(summary: ConversationSummary) {
    upsertSummary(summary);
    await open(summary.id);
  }

  const startDirect = (username: string) =>
    attempt(async () => {
      const person = await gopher.api.users.find.query({ username });
      await openNew(await gopher.api.conversations.createDirect.mutate({ userId: person.id }));
    });

  const startGroup = (title: string, usernames: string[]) =>
    attempt(async () => {
      const people = await Promise.all(usernames.map((username) => gopher.api.users.find.query({ username })));
      await openNew(
        await gopher.api.conversations.createGroup.mutate({
          title,
          memberIds: [...new Set(people.map((person) => person.id))].filter((id) => id !== me.id),
        }),
      );
    });

  // The subscription first, then the list: an event racing the list's query is merged, not lost.
  const subscription = gopher.api.events.subscribe.subscribe(undefined, {
    // Also after every reconnect, which resumes from the last event id: the gap arrives as events.
    onStarted: () => {
      setState('live', 'live');
      outbox.kick();
      if (!state.isListLoaded) void loadList().catch((error) => tell(toAppError(error).userMessage));
    },
    onData: ({ data }) => batch(() => data.forEach(handle)),
    onConnectionStateChange: (connection) => {
      if (connection.state === 'connecting' && state.live === 'live') setState('live', 'reconnecting');
    },
    onError: (error) => tell(toAppError(error).userMessage),
  });
  const kick = () => outbox.kick();
  window.addEventListener('online', kick);
  onCleanup(() => {
    subscription.unsubscribe();
    outbox.dispose();
    window.removeEventListener('online', kick);
  });

  return {
    state,
    conversationList,
    open,
    /** Back to the list (on a phone, where only one of the two shows). */
    close: () => setState('activeId', undefined),
    loadOlder,
    send,
    retry: (clientMessageId: string) => outbox.retry(clientMessageId),
    discard: (clientMessageId: string) => outbox.discard(clientMessageId),
    startDirect,
    startGroup,
    dismissNotice: () => setState('notice', undefined),
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;
