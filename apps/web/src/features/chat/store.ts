import type { Me } from '@gopherchat/api';
import { subscribeLive, toAppError } from '@gopherchat/sdk';
import { onCleanup } from 'solid-js';
import { systemClock } from '../../lib/clock.ts';
import { createIdleWatch, IDLE_AFTER_MS } from '../../lib/idle-watch.ts';
import {
  adoptProfile,
  connection,
  draftsKey,
  emojiPrefsKey,
  gopher,
  offlineDataKey,
  session,
} from '../../lib/session.ts';
import { createAttachmentStore } from '../attachments/store.ts';
import { createEmojiPrefs } from '../emoji/emoji-prefs.ts';
import { createChat } from './chat.ts';
import type { ChatApi } from './chat-deps.ts';
import { createDrafts } from './drafts.ts';

/** The chat's server calls: the app's one tRPC client. */
const chatApi: ChatApi = {
  listConversations: () => gopher.api.conversations.list.query(),
  getConversation: (input) => gopher.api.conversations.get.query(input),
  listMembers: (input) => gopher.api.conversations.members.query(input),
  listHistory: (input) => gopher.api.messages.history.query(input),
  sendMessage: (input) => gopher.api.messages.send.mutate(input),
  editMessage: (input) => gopher.api.messages.edit.mutate(input),
  react: (input) => gopher.api.messages.react.mutate(input),
  removeReaction: (input) => gopher.api.messages.removeReaction.mutate(input),
  pin: (input) => gopher.api.messages.pin.mutate(input),
  unpin: (input) => gopher.api.messages.unpin.mutate(input),
  listPinned: (input) => gopher.api.messages.pinned.query(input),
  forwardMessage: (input) => gopher.api.messages.forward.mutate(input),
  removePreview: (input) => gopher.api.messages.removePreview.mutate(input),
  saveMessage: (input) => gopher.api.saved.save.mutate(input),
  unsaveMessage: (input) => gopher.api.saved.unsave.mutate(input),
  listSaved: (input) => gopher.api.saved.list.query(input),
  listSavedKeys: () => gopher.api.saved.keys.query(),
  deleteMessage: (input) => gopher.api.messages.delete.mutate(input),
  markDelivered: (input) => gopher.api.receipts.markDelivered.mutate(input),
  markRead: (input) => gopher.api.receipts.markRead.mutate(input),
  signalTyping: (input) => gopher.api.conversations.typing.mutate(input),
  createDirect: (input) => gopher.api.conversations.createDirect.mutate(input),
  createGroup: (input) => gopher.api.conversations.createGroup.mutate(input),
  renameGroup: (input) => gopher.api.conversations.rename.mutate(input),
  setGroupPicture: (input) => gopher.api.conversations.setAvatar.mutate(input),
  removeGroupPicture: (input) => gopher.api.conversations.removeAvatar.mutate(input),
  addMembers: (input) => gopher.api.conversations.addMembers.mutate(input),
  removeMember: (input) => gopher.api.conversations.removeMember.mutate(input),
  leaveGroup: (input) => gopher.api.conversations.leave.mutate(input),
  setRole: (input) => gopher.api.conversations.setRole.mutate(input),
  transferOwnership: (input) => gopher.api.conversations.transferOwnership.mutate(input),
  loadProfiles: (input) => gopher.api.users.profiles.query(input),
};

/**
 * The chat of the signed-in person, built on the app's real dependencies
 * (the API client, the connection, localStorage, the page), for as long as
 * the component that calls it lives. The chat itself is `createChat`.
 */
/** Input that shows the person is at this device. */
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

/**
 * Tells the server when this device is left idle, and when it is used again:
 * the person shows as away once every device of theirs is idle. A new
 * subscription (after a reconnect) starts in use, so an idle device says so
 * again. Best effort: a mark lost on the way is sent with the next change.
 */
function watchIdleness() {
  const tell = (isIdle: boolean) => gopher.api.presence.setIdle.mutate({ isIdle }).catch(() => {});
  const watch = createIdleWatch({
    clock: systemClock,
    idleAfterMs: IDLE_AFTER_MS,
    onChange: (isIdle) => void tell(isIdle),
  });
  const onActivity = () => watch.activity();
  for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
  onCleanup(() => {
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    watch.dispose();
  });
  return {
    subscriptionStarted() {
      if (watch.isIdle) void tell(true);
    },
  };
}

export function createChatStore(me: Me) {
  const idleness = watchIdleness();
  // Files shared from here go out as their own messages, shown like any other of mine.
  const attachments = createAttachmentStore({
    onSent: (message) => chat.showSent(message),
    onError: (text) => chat.tell(text),
  });
  const chat = createChat({
    me,
    api: chatApi,
    // An error that may pass (a restarting server, a timed-out query) resubscribes from the last event, with backoff.
    subscribeEvents(handlers) {
      const stream = subscribeLive(gopher.api.events.subscribe.subscribe, undefined, {
        onStarted: () => {
          idleness.subscriptionStarted();
          return handlers.onStarted();
        },
        onData: ({ data }) => handlers.onEvents(data),
        onError: handlers.onError,
      });
      return () => stream.unsubscribe();
    },
    whenLive: (listener) => connection.whenLive(listener),
    whenLost: (listener) => connection.whenLost(listener),
    clock: systemClock,
    random: Math.random,
    storage: localStorage,
    snapshotKey: offlineDataKey(me.id),
    newId: () => crypto.randomUUID(),
    describe: toAppError,
    isSignedIn: () => session().status === 'signed-in',
    onPageLeave(save) {
      const saveWhenHidden = () => {
        if (document.visibilityState === 'hidden') save();
      };
      window.addEventListener('pagehide', save);
      document.addEventListener('visibilitychange', saveWhenHidden);
      return () => {
        window.removeEventListener('pagehide', save);
        document.removeEventListener('visibilitychange', saveWhenHidden);
      };
    },
    adoptMyProfile: adoptProfile,
    applyAttachmentStatus: (status) => attachments.applyStatus(status),
  });
  onCleanup(chat.dispose);
  return {
    ...chat,
    attachments,
    drafts: createDrafts(localStorage, draftsKey(me.id)),
    emoji: createEmojiPrefs(localStorage, emojiPrefsKey(me.id)),
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;
