import {
  type ConversationSummary,
  DELIVERY_RECEIPT_INTERVAL_MS,
  type Me,
  type Member,
  type MemberReceipt,
  type Message,
  RECEIPT_BATCH_MAX,
  type ReadPointers,
  TYPING_SHOWN_MS,
  type UserEvent,
  type UserPresence,
  type UserProfile,
} from '@gopherchat/api';
import { backoffDelay, subscribeLive, toAppError } from '@gopherchat/sdk';
import { batch, createMemo, createSignal, onCleanup } from 'solid-js';
import { createStore, produce, unwrap } from 'solid-js/store';
import { systemClock } from '../../lib/clock.ts';
import { adoptProfile, attempt, connection, gopher, offlineDataKey, session } from '../../lib/session.ts';
import { createTimers } from '../../lib/timers.ts';
import { createAttachmentStore } from '../attachments/store.ts';
import { createPeopleDirectory, userIdsNamedIn } from '../people/directory.ts';
import { createOutbox, type OutgoingMessage } from './outbox.ts';
import { createPointerReporter, type Pointer } from './pointer-reporter.ts';
import { furthest, summaryAfterMyPointers } from './receipts.ts';
import { type ChatSnapshot, readSnapshot, takeSnapshot, writeSnapshot } from './snapshot.ts';
import { byActivity, mergeMessages, messageAt, summaryAfterMessage } from './timeline.ts';
import { stillTyping, type Typists, withSignal } from './typing.ts';

const HISTORY_PAGE = 50;
/** Scrolling through a conversation reports how far it has been read at most this often. */
const READ_BATCH_MS = 300;

/** The loaded part of one conversation's history. */
export interface Timeline {
  messages: Message[];
  /** Older messages exist on the server beyond the first loaded one. */
  hasOlder: boolean;
  isLoadingOlder: boolean;
  members: Record<string, Member>;
  /** Display names of everyone seen here, former members too: notes about people who left still name them. */
  names: Record<string, string>;
  /**
   * How far each member has got, kept apart from `members` so that receipts
   * arriving before the member list (or racing its query) are merged, not lost.
   */
  pointers: Record<string, ReadPointers>;
  /** Edits and deletes made here, by seq, shown until the server answers (`withUnconfirmed`). */
  unconfirmed: Record<number, Message>;
  /** From the offline snapshot: shown until the server's newest page replaces it. */
  isCached: boolean;
}

interface ChatState {
  conversations: Record<string, ConversationSummary>;
  timelines: Record<string, Timeline>;
  outbox: OutgoingMessage[];
  /** Who of the people I share a conversation with is online. */
  presence: Record<string, UserPresence>;
  /** Per conversation: who is typing there now. */
  typing: Record<string, Typists>;
  activeId: string | undefined;
  isListLoaded: boolean;
}

/** What the last visit left, to show until the server answers (the page may have been loaded offline). */
function fromSnapshot(snapshot: ChatSnapshot | undefined): Pick<ChatState, 'conversations' | 'timelines'> {
  if (!snapshot) return { conversations: {}, timelines: {} };
  return {
    conversations: Object.fromEntries(snapshot.conversations.map((summary) => [summary.id, summary])),
    timelines: Object.fromEntries(
      Object.entries(snapshot.timelines).map(([id, cached]) => [
        id,
        { ...cached, isLoadingOlder: false, unconfirmed: {}, isCached: true },
      ]),
    ),
  };
}

/**
 * Everything the chat screens show, kept current by the one event
 * subscription: conversations, the loaded part of each history, and the
 * outbox. Events and fetched pages overlap freely; merges are by `seq`, so
 * order of arrival does not matter. Until the server answers, it shows what
 * the last visit left in this browser.
 */
export function createChatStore(me: Me) {
  const snapshotKey = offlineDataKey(me.id);
  const restored = fromSnapshot(readSnapshot(localStorage, snapshotKey));
  const [state, setState] = createStore<ChatState>({
    ...restored,
    outbox: [],
    presence: {},
    typing: {},
    activeId: undefined,
    isListLoaded: false,
  });
  /** Conversations shown from the snapshot that the server's list has not confirmed yet. */
  let unconfirmedIds = new Set(Object.keys(restored.conversations));
  // A signal, not a store field: each notice is a fresh object that its toast hears (and times) anew, even with the
  // same text. Set in a store, an object is merged into the one before, which nothing reading it would hear.
  const [notice, setNotice] = createSignal<{ text: string }>();
  const tell = (text: string) => setNotice({ text });

  const conversationList = createMemo(() => Object.values(state.conversations).sort(byActivity));

  // The store's timers (receipt batches, typing signals lapsing), cleared with it.
  const timers = createTimers(systemClock);
  const { later } = timers;

  const deliveries = createPointerReporter({
    async send(pointers) {
      for (let start = 0; start < pointers.length; start += RECEIPT_BATCH_MAX) {
        await gopher.api.receipts.markDelivered.mutate({ pointers: pointers.slice(start, start + RECEIPT_BATCH_MAX) });
      }
    },
    // Delivery receipts of a burst of messages (or of the whole list on load) share one call.
    schedule: (flush) => later(DELIVERY_RECEIPT_INTERVAL_MS, flush),
  });
  const reads = createPointerReporter({
    send: (pointers) => Promise.all(pointers.map(markReadOnServer)).then(() => {}),
    schedule: (flush) => later(READ_BATCH_MS, flush),
  });

  async function markReadOnServer(pointer: Pointer) {
    try {
      await gopher.api.receipts.markRead.mutate(pointer);
    } catch (error) {
      // Removed from the conversation meanwhile: there is nothing left to mark.
      if (toAppError(error).appCode !== 'NOT_FOUND') throw error;
    }
  }

  /** My own pointers as the server has them: neither reporter sends what it already knows. */
  function acknowledgeMine(conversationId: string, pointers: ReadPointers) {
    deliveries.acknowledge(conversationId, pointers.lastDeliveredSeq);
    reads.acknowledge(conversationId, pointers.lastReadSeq);
  }

  /**
   * A summary straight from the server: its pointers are known there, and
   * anything newer has now reached this client. A read here that the server
   * has not heard of yet still counts.
   */
  function upsertSummary(summary: ConversationSummary) {
    const known = state.conversations[summary.id];
    setState('conversations', summary.id, known ? summaryAfterMyPointers(summary, known) : summary);
    acknowledgeMine(summary.id, summary);
    if (summary.lastSeq > summary.lastDeliveredSeq) deliveries.note(summary.id, summary.lastSeq);
  }

  /** Moves someone's pointers in an open conversation (never back). */
  function advancePointers(conversationId: string, receipt: MemberReceipt) {
    if (!state.timelines[conversationId]) return;
    setState('timelines', conversationId, 'pointers', receipt.userId, (known) => furthest(known, receipt));
  }

  /** Puts a message (new, edited or deleted) in its timeline, if loaded, and in its conversation's summary. */
  function showMessage(message: Message) {
    const { conversationId } = message;
    batch(() => {
      if (state.timelines[conversationId]) {
        setState('timelines', conversationId, 'messages', (messages) => mergeMessages(messages, [message]));
        wantPeopleNamedIn(conversationId, [message]);
      }
      const summary = state.conversations[conversationId];
      if (summary) setState('conversations', conversationId, summaryAfterMessage(summary, message, me.id));
      else void refreshConversation(conversationId);
    });
  }

  /** A new message: shown, and what it tells about its sender's pointers and typing. */
  function applyMessage(message: Message) {
    const { conversationId, senderId, seq } = message;
    batch(() => {
      showMessage(message);
      if (senderId === me.id) acknowledgeMine(conversationId, { lastDeliveredSeq: seq, lastReadSeq: seq });
      else if (senderId) {
        // Sending moves the sender's own pointers on the server, with no receipt event of its own.
        advancePointers(conversationId, { userId: senderId, lastDeliveredSeq: seq, lastReadSeq: seq });
        // Their message is what they were typing.
        if (state.typing[conversationId]?.[senderId] !== undefined) applyTyping(conversationId, senderId, false);
      }
    });
  }

  function applyReceipts(conversationId: string, receipts: MemberReceipt[]) {
    for (const receipt of receipts) {
      if (receipt.userId === me.id) {
        acknowledgeMine(conversationId, receipt);
        const summary = state.conversations[conversationId];
        if (summary) setState('conversations', conversationId, summaryAfterMyPointers(summary, receipt));
      } else {
        advancePointers(conversationId, receipt);
      }
    }
  }

  /**
   * Marks a conversation read up to `seq` (the newest message on screen): here
   * at once, on the server within a moment.
   */
  function markRead(conversationId: string, seq: number) {
    const summary = state.conversations[conversationId];
    if (!summary) return;
    // Noted even when read here already: a read restored from the snapshot may not have reached the server, and a
    // note is when a failed report is tried again.
    reads.note(conversationId, seq);
    // Scrolling reports the same message many times: the summary is set only when this moves it.
    const read = summaryAfterMyPointers(summary, { lastDeliveredSeq: seq, lastReadSeq: seq });
    if (read !== summary) setState('conversations', conversationId, read);
  }

  function setTypists(conversationId: string, change: (typists: Typists) => Typists) {
    // Set one level up: setting the conversation's own entry would merge, keeping typists that left.
    setState('typing', { [conversationId]: change(state.typing[conversationId] ?? {}) });
  }

  function applyTyping(conversationId: string, userId: string, isTyping: boolean) {
    setTypists(conversationId, (typists) => withSignal(typists, { userId, isTyping }, Date.now(), TYPING_SHOWN_MS));
    if (isTyping) {
      // A renewal moves the end on, so this sweep keeps it, and the renewal's own sweep drops it.
      later(TYPING_SHOWN_MS, () => setTypists(conversationId, (typists) => stillTyping(typists, Date.now())));
    }
  }

  /** Tells the others in the conversation that I am typing (or stopped). A dropped signal matters little. */
  function signalTyping(conversationId: string, isTyping: boolean) {
    gopher.api.conversations.typing.mutate({ conversationId, isTyping }).catch(() => {});
  }

  /**
   * A note that another member left or was removed. It is all the others are
   * told, so the member list, the count and my role (an owner who leaves hands
   * the group on) are fetched again.
   */
  function isSomeoneElseGone({ content }: Message) {
    return (
      content.type === 'system' &&
      (content.event.kind === 'member_left' || content.event.kind === 'member_removed') &&
      content.event.userId !== me.id
    );
  }

  /** How many times each conversation was forgotten: a fetch that raced a removal must not bring it back. */
  const forgettings = new Map<string, number>();

  function forget(conversationId: string) {
    forgettings.set(conversationId, (forgettings.get(conversationId) ?? 0) + 1);
    setState(
      produce((draft) => {
        delete draft.conversations[conversationId];
        delete draft.timelines[conversationId];
        delete draft.typing[conversationId];
        if (draft.activeId === conversationId) draft.activeId = undefined;
      }),
    );
  }

  async function refreshConversation(conversationId: string) {
    const forgottenBefore = forgettings.get(conversationId);
    try {
      const summary = await gopher.api.conversations.get.query({ conversationId });
      if (forgettings.get(conversationId) !== forgottenBefore) return;
      upsertSummary(summary);
      if (state.timelines[conversationId]) await loadMembers(conversationId);
    } catch (error) {
      if (toAppError(error).appCode === 'NOT_FOUND') forget(conversationId);
    }
  }

  const people = createPeopleDirectory({ load: (ids) => gopher.api.users.profiles.query({ ids }), later });

  /**
   * Looks up the people named in messages coming into a loaded timeline whom
   * its member list does not cover: they left, or were removed. Asked as
   * messages come in, not by watching the timeline, which would go over every
   * loaded message again with each one that arrives.
   */
  function wantPeopleNamedIn(conversationId: string, messages: readonly Message[]) {
    const names = state.timelines[conversationId]?.names;
    if (!names) return;
    people.want([...userIdsNamedIn(messages)].filter((userId) => names[userId] === undefined));
  }

  /** Someone's edited profile, everywhere their name shows: at once, with no fetch. */
  function applyProfile(profile: UserProfile) {
    const { id, displayName, username } = profile;
    batch(() => {
      people.learn([profile]);
      setState(
        produce((draft) => {
          for (const summary of Object.values(draft.conversations)) {
            if (summary.peer?.userId !== id) continue;
            // A direct conversation is titled with the other person's name.
            summary.title = displayName;
            Object.assign(summary.peer, { displayName, username });
          }
          for (const timeline of Object.values(draft.timelines)) {
            const member = timeline.members[id];
            if (member) Object.assign(member, { displayName, username });
            if (id in timeline.names) timeline.names[id] = displayName;
          }
        }),
      );
      if (id === me.id) adoptProfile(profile);
    });
  }

  // Files shared from here go out as their own messages, shown like any other of mine.
  const attachments = createAttachmentStore({ onSent: (message) => applyMessage(message), onError: tell });

  function handle(event: UserEvent) {
    switch (event.kind) {
      case 'message':
        if (event.message.senderId !== me.id) deliveries.note(event.message.conversationId, event.message.seq);
        applyMessage(event.message);
        if (isSomeoneElseGone(event.message)) void refreshConversation(event.message.conversationId);
        return;
      case 'message_updated':
        showMessage(event.message);
        return;
      case 'conversation_updated':
        void refreshConversation(event.conversationId);
        return;
      case 'receipts':
        applyReceipts(event.conversationId, event.receipts);
        return;
      case 'presence':
        for (const presence of event.users) setState('presence', presence.userId, presence);
        return;
      case 'typing':
        applyTyping(event.conversationId, event.userId, event.isTyping);
        return;
      case 'removed_from_conversation': {
        const title = state.conversations[event.conversationId]?.title;
        forget(event.conversationId);
        if (title && !leaving.has(event.conversationId)) tell(`You are no longer in “${title}”.`);
        return;
      }
      case 'profile':
        applyProfile(event.profile);
        return;
      case 'attachment_updated':
        attachments.applyStatus(event.attachment);
        return;
      case 'resync':
        void reloadEverything();
        return;
    }
  }

  async function loadList() {
    const list = await gopher.api.conversations.list.query();
    batch(() => {
      list.forEach(upsertSummary);
      // Left or removed while this browser was away.
      for (const { id } of list) unconfirmedIds.delete(id);
      unconfirmedIds.forEach(forget);
      unconfirmedIds = new Set();
      setState('isListLoaded', true);
    });
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

  /** Takes a fresh member list, merging its pointers with any receipts that arrived while it was asked for. */
  function adoptMembers(conversationId: string, members: Member[]) {
    batch(() => {
      // Set one level up: setting `members` itself would merge, keeping people who have left.
      setState('timelines', conversationId, { members: byUserId(members) });
      setState(
        'timelines',
        conversationId,
        'names',
        Object.fromEntries(members.map((member) => [member.userId, member.displayName])),
      );
      for (const member of members) advancePointers(conversationId, member);
    });
  }

  async function loadMembers(conversationId: string) {
    adoptMembers(conversationId, await gopher.api.conversations.members.query({ conversationId }));
  }

  /** Conversations whose newest page is being fetched. */
  const loadingNewest = new Set<string>();

  /**
   * Shows a conversation: its newest page of history (once; a snapshot's copy
   * until the server's arrives). It is marked read as its messages come on screen.
   */
  async function open(conversationId: string) {
    setState('activeId', conversationId);
    const shown = state.timelines[conversationId];
    if (shown && !shown.isCached) return;
    // The last visit's copy is on screen until the server's page replaces it.
    if (shown) wantPeopleNamedIn(conversationId, shown.messages);
    if (!shown) {
      // In place before the page is asked for, so live messages racing it are kept.
      setState('timelines', conversationId, {
        messages: [],
        members: {},
        names: {},
        pointers: {},
        unconfirmed: {},
        hasOlder: false,
        isLoadingOlder: false,
        isCached: false,
      });
    }
    await loadNewest(conversationId);
  }

  async function loadNewest(conversationId: string) {
    if (loadingNewest.has(conversationId)) return;
    loadingNewest.add(conversationId);
    // The snapshot's messages, told apart from live ones that arrive while the page is asked for.
    const cached = new Set(
      state.timelines[conversationId]?.isCached ? unwrap(state.timelines[conversationId].messages) : [],
    );
    try {
      const [page, members] = await Promise.all([
        gopher.api.messages.history.query({ conversationId, limit: HISTORY_PAGE }),
        gopher.api.conversations.members.query({ conversationId }),
      ]);
      if (!state.timelines[conversationId]) return;
      batch(() => {
        adoptMembers(conversationId, members);
        setState('timelines', conversationId, (timeline) => ({
          isLoadingOlder: false,
          hasOlder: page.hasMore,
          // The snapshot's copies may be stale (edited, deleted, a gap since): the server's page replaces them.
          messages: mergeMessages(
            page.messages,
            unwrap(timeline.messages).filter((message) => !cached.has(message)),
          ),
          isCached: false,
        }));
        wantPeopleNamedIn(conversationId, page.messages);
      });
    } catch (error) {
      // Offline, the snapshot's copy is better than nothing, and no news.
      if (state.timelines[conversationId]?.isCached) return;
      setState(
        'timelines',
        produce((timelines) => void delete timelines[conversationId]),
      );
      tell(toAppError(error).userMessage);
    } finally {
      loadingNewest.delete(conversationId);
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
      wantPeopleNamedIn(conversationId, page.messages);
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
        replyToSeq: message.replyToSeq,
      }),
    describe: toAppError,
    onSent: (message) => applyMessage(message),
    onChange: (queue) => setState('outbox', [...queue]),
    retryDelayMs: (attempt) => backoffDelay(attempt),
    clock: systemClock,
  });
  setState('outbox', [...outbox.queue]);

  function send(conversationId: string, text: string, replyToSeq?: number) {
    void outbox.enqueue({
      clientMessageId: crypto.randomUUID(),
      conversationId,
      text,
      replyToSeq,
      writtenAt: new Date().toISOString(),
    });
  }

  /**
   * Shows a change to a loaded message at once and asks the server for it.
   * A refusal drops the change (the loaded message shows again) and says why.
   * A second change of the same message made meanwhile stays until its own
   * answer, so answers arriving out of order never show a stale version.
   */
  async function changeMessage(
    conversationId: string,
    seq: number,
    change: (message: Message) => Message,
    request: () => Promise<Message>,
  ) {
    const timeline = state.timelines[conversationId];
    const current = timeline && (timeline.unconfirmed[seq] ?? messageAt(timeline.messages, seq));
    if (!current) return;
    const changed = change(unwrap(current));
    setState('timelines', conversationId, 'unconfirmed', seq, changed);
    try {
      showMessage(await request());
    } catch (error) {
      tell(toAppError(error).userMessage);
    } finally {
      if (unwrap(state.timelines[conversationId]?.unconfirmed[seq]) === changed) {
        setState(
          'timelines',
          conversationId,
          'unconfirmed',
          produce((unconfirmed) => void delete unconfirmed[seq]),
        );
      }
    }
  }

  const edit = (conversationId: string, seq: number, text: string) =>
    changeMessage(
      conversationId,
      seq,
      (message) => ({ ...message, content: { type: 'text', text }, editedAt: new Date().toISOString() }),
      () => gopher.api.messages.edit.mutate({ conversationId, seq, content: { type: 'text', text } }),
    );

  /** Leaves a tombstone for everyone. */
  const deleteMessage = (conversationId: string, seq: number) =>
    changeMessage(
      conversationId,
      seq,
      (message) => ({ ...message, content: { type: 'deleted' }, deletedAt: new Date().toISOString() }),
      () => gopher.api.messages.delete.mutate({ conversationId, seq }),
    );

  /** Adds a conversation just made here, and opens it. */
  async function openNew(summary: ConversationSummary) {
    upsertSummary(summary);
    await open(summary.id);
  }

  const startDirect = (userId: string) =>
    attempt(async () => openNew(await gopher.api.conversations.createDirect.mutate({ userId })));

  const startGroup = (title: string, memberIds: string[]) =>
    attempt(async () => openNew(await gopher.api.conversations.createGroup.mutate({ title, memberIds })));

  // The member list follows these changes through their events (`conversation_updated`, the notes).
  const renameGroup = (conversationId: string, title: string) =>
    attempt(async () => upsertSummary(await gopher.api.conversations.rename.mutate({ conversationId, title })));

  const addMembers = (conversationId: string, userIds: string[]) =>
    attempt(async () => upsertSummary(await gopher.api.conversations.addMembers.mutate({ conversationId, userIds })));

  const removeMember = (conversationId: string, userId: string) =>
    attempt(() => gopher.api.conversations.removeMember.mutate({ conversationId, userId }));

  /** Conversations I am leaving: the server's goodbye to them is no news to me. */
  const leaving = new Set<string>();

  const leaveGroup = (conversationId: string) =>
    attempt(async () => {
      leaving.add(conversationId);
      try {
        await gopher.api.conversations.leave.mutate({ conversationId });
        forget(conversationId);
      } finally {
        leaving.delete(conversationId);
      }
    });

  // The subscription first, then the list: an event racing the list's query is merged, not lost.
  // An error that may pass (a restarting server, a timed-out query) resubscribes from the last event, with backoff.
  const subscription = subscribeLive(gopher.api.events.subscribe.subscribe, undefined, {
    // Also after every reconnect or resubscription, which resume from the last event id: the gap arrives as events.
    onStarted: () => {
      if (!state.isListLoaded) void loadList().catch((error) => tell(toAppError(error).userMessage));
      const { activeId } = state;
      if (activeId && state.timelines[activeId]?.isCached) void loadNewest(activeId);
    },
    onData: ({ data }) => batch(() => data.forEach(handle)),
    // Only an error that will not pass (signed out, refused) ends the stream.
    onError: (error) => tell(error.userMessage),
  });
  // What waited for the connection goes out each time it is back.
  const stopResuming = connection.whenLive(() => {
    void outbox.kick();
    deliveries.retry();
    reads.retry();
  });

  function saveSnapshot() {
    // Signed out: what was kept for offline use is gone, and stays gone.
    if (session().status !== 'signed-in') return;
    const conversations = Object.values(unwrap(state.conversations)).sort(byActivity);
    writeSnapshot(localStorage, snapshotKey, takeSnapshot(conversations, unwrap(state.timelines)));
  }
  // The moments a page may be left for good (closed, reloaded, discarded while hidden).
  const saveWhenHidden = () => {
    if (document.visibilityState === 'hidden') saveSnapshot();
  };
  window.addEventListener('pagehide', saveSnapshot);
  document.addEventListener('visibilitychange', saveWhenHidden);
  onCleanup(() => {
    saveSnapshot();
    subscription.unsubscribe();
    stopResuming();
    outbox.dispose();
    timers.clearAll();
    window.removeEventListener('pagehide', saveSnapshot);
    document.removeEventListener('visibilitychange', saveWhenHidden);
  });

  return {
    state,
    attachments,
    people,
    conversationList,
    open,
    /** Back to the list (on a phone, where only one of the two shows). */
    close: () => setState('activeId', undefined),
    loadOlder,
    markRead,
    send,
    edit,
    deleteMessage,
    signalTyping,
    retry: (clientMessageId: string) => void outbox.retry(clientMessageId),
    discard: (clientMessageId: string) => outbox.discard(clientMessageId),
    startDirect,
    startGroup,
    renameGroup,
    addMembers,
    removeMember,
    leaveGroup,
    /** The latest problem to tell the person about (a toast). */
    notice,
    dismissNotice: () => setNotice(undefined),
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;
