import type { Message } from '@gopherchat/api';
import { batch, createMemo, createSignal } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { createTimers } from '../../lib/timers.ts';
import { createPeopleDirectory } from '../people/directory.ts';
import { createSavedKeys } from '../saved/saved-keys.ts';
import type { ChatDeps } from './chat-deps.ts';
import { createEventHandler } from './chat-events.ts';
import { createChatState } from './chat-state.ts';
import { createConversationsStore } from './conversations-store.ts';
import { createGroupAdmin } from './group-admin.ts';
import { createHistoryStore } from './history-store.ts';
import { createIncomingMessages } from './incoming-messages.ts';
import { createMessageEdits } from './message-edits.ts';
import { createOutboxStore } from './outbox-store.ts';
import { createPresenceStore } from './presence-store.ts';
import { createProfileChanges } from './profile-changes.ts';
import { createReceiptsStore } from './receipts-store.ts';
import { readSnapshot, takeSnapshot, writeSnapshot } from './snapshot.ts';
import { byActivity } from './timeline.ts';
import { createTypingStore } from './typing-store.ts';

/**
 * Everything the chat screens show, kept current by the one event
 * subscription: conversations, the loaded part of each history, and the
 * outbox. Events and fetched pages overlap freely; merges are by `seq`, so
 * order of arrival does not matter. Until the server answers, it shows what
 * the last visit left in this browser.
 *
 * Wires its parts together and runs their lifecycle; each part owns one
 * concern (see the files it imports). Everything from outside comes in
 * `deps`; `dispose` ends it all.
 */
export function createChat(deps: ChatDeps) {
  const { me, api, clock, describe } = deps;
  const store = createChatState(readSnapshot(deps.storage, deps.snapshotKey));
  const { state } = store;
  // A signal, not a store field: each notice is a fresh object that its toast hears (and times) anew, even with the
  // same text. Set in a store, an object is merged into the one before, which nothing reading it would hear.
  const [notice, setNotice] = createSignal<{ text: string }>();
  const tell = (text: string) => setNotice({ text });

  // The chat's timers (receipt batches, typing signals lapsing, lookups), cleared with it.
  const timers = createTimers(clock);
  const { later } = timers;

  const people = createPeopleDirectory({ load: (ids) => api.loadProfiles({ ids }), later });
  const receipts = createReceiptsStore({ store, api, later, describe, myId: me.id });
  const typing = createTypingStore({ store, api, clock, later });
  const presence = createPresenceStore({ store });
  const history = createHistoryStore({ store, api, people, receipts, describe, tell });
  const conversations = createConversationsStore({ store, api, receipts, history, describe, tell });
  const incoming = createIncomingMessages({ store, myId: me.id, history, conversations, receipts, typing });
  const edits = createMessageEdits({ store, api, clock, incoming, history, myId: me.id, describe, tell });
  const outbox = createOutboxStore({
    store,
    api,
    storage: deps.storage,
    storageKey: `gopherchat.outbox.${me.id}`,
    clock,
    random: deps.random,
    newId: deps.newId,
    describe,
    onSent: incoming.applyMessage,
  });
  const groups = createGroupAdmin({ api, conversations, history, describe });
  const saved = createSavedKeys({ api, describe, tell });
  const applyProfile = createProfileChanges({ store, people, myId: me.id, adoptMyProfile: deps.adoptMyProfile });
  const handle = createEventHandler({
    store,
    myId: me.id,
    incoming,
    history,
    conversations,
    receipts,
    typing,
    presence,
    groups,
    saved,
    applyProfile,
    applyAttachmentStatus: deps.applyAttachmentStatus,
    tell,
  });

  // The subscription first, then the list: an event racing the list's query is merged, not lost.
  const unsubscribe = deps.subscribeEvents({
    // Also after every reconnect or resubscription, which resume from the last event id: the gap arrives as events.
    onStarted: async () => {
      const { activeId } = state;
      await Promise.all([
        state.isListLoaded ? undefined : conversations.loadListOrTell(),
        // Changes made on my other devices while this one was away are live signals, never replayed.
        saved.load(),
        activeId && state.timelines[activeId]?.isCached ? history.loadNewest(activeId) : undefined,
      ]);
    },
    onEvents: async (events) => {
      await batch(() => Promise.all(events.map(handle)));
    },
    onError: (error) => tell(error.userMessage),
  });
  // Contacts are not shown online while I am not: unknown until the next greeting.
  const stopForgettingPresence = deps.whenLost(presence.forget);
  // What waited for the connection goes out each time it is back.
  const stopResuming = deps.whenLive(() => {
    void outbox.kick();
    receipts.retry();
  });

  function saveSnapshot() {
    if (!deps.isSignedIn()) return;
    const list = Object.values(unwrap(state.conversations)).sort(byActivity);
    writeSnapshot(deps.storage, deps.snapshotKey, takeSnapshot(list, unwrap(state.timelines)));
  }
  const stopSavingOnLeave = deps.onPageLeave(saveSnapshot);

  return {
    state,
    people,
    conversationList: createMemo(() => Object.values(state.conversations).sort(byActivity)),
    open: history.open,
    close: history.close,
    loadOlder: history.loadOlder,
    loadNewer: history.loadNewer,
    showNewest: history.showNewest,
    openAround: history.openAround,
    markRead: receipts.markRead,
    /** Resolves once the outbox has gone as far as it can for now (sent, or waiting to retry). */
    send: outbox.send,
    edit: edits.edit,
    deleteMessage: edits.deleteMessage,
    toggleReaction: edits.toggleReaction,
    setPinned: edits.setPinned,
    /** The conversation's pinned messages, the latest pinned first (asked of the server each time). */
    listPinned: (conversationId: string) => api.listPinned({ conversationId }),
    /** Sends a copy of a message to another conversation; tells where it went, or why it did not. */
    async forward(message: Message, toConversationId: string) {
      try {
        const copy = await api.forwardMessage({
          conversationId: message.conversationId,
          seq: message.seq,
          toConversationId,
          clientMessageId: deps.newId(),
        });
        await incoming.applyMessage(copy);
        tell(`Forwarded to ${state.conversations[toConversationId]?.title ?? 'the conversation'}.`);
      } catch (error) {
        tell(describe(error).userMessage);
      }
    },
    /** Takes the link preview off a message of mine. */
    async removePreview(conversationId: string, seq: number) {
      try {
        await incoming.showMessage(await api.removePreview({ conversationId, seq }));
      } catch (error) {
        tell(describe(error).userMessage);
      }
    },
    /** My saved messages: which are (for their menus), saving and unsaving. */
    saved: { isSaved: saved.isSaved, setSaved: saved.setSaved },
    /** A page of my saved messages, newest saved first (asked of the server each time). */
    listSaved: api.listSaved,
    signalTyping: typing.signalTyping,
    retry: outbox.retry,
    discard: outbox.discard,
    startDirect: groups.startDirect,
    startGroup: groups.startGroup,
    renameGroup: groups.renameGroup,
    setGroupPicture: groups.setGroupPicture,
    removeGroupPicture: groups.removeGroupPicture,
    addMembers: groups.addMembers,
    removeMember: groups.removeMember,
    leaveGroup: groups.leaveGroup,
    setRole: groups.setRole,
    transferOwnership: groups.transferOwnership,
    /** A message of mine sent from elsewhere in the app (a shared file): shown like any other. */
    showSent: (message: Message) => incoming.applyMessage(message),
    /** Puts a problem in front of the person (a toast). */
    tell,
    /** The latest problem to tell the person about. */
    notice,
    dismissNotice: () => setNotice(undefined),
    /** Keeps the snapshot, and stops everything: the subscription, retries, timers. */
    dispose() {
      saveSnapshot();
      unsubscribe();
      stopResuming();
      stopForgettingPresence();
      stopSavingOnLeave();
      outbox.dispose();
      timers.clearAll();
    },
  };
}
