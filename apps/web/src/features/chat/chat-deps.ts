import type {
  AppErrorData,
  AttachmentStatus,
  ConversationSummary,
  HistoryPage,
  Me,
  Member,
  Message,
  MessageReactions,
  SavedPage,
  UserEvent,
  UserProfile,
} from '@gopherchat/api';
import type { RouterInputs } from '@gopherchat/sdk';
import type { Scheduler } from '../../lib/clock.ts';

type Input = RouterInputs;

/**
 * The server calls the chat makes, as plain functions: the tRPC client's
 * procedures in the app (`store.ts`), a fake server in tests.
 */
export interface ChatApi {
  listConversations(): Promise<ConversationSummary[]>;
  getConversation(input: Input['conversations']['get']): Promise<ConversationSummary>;
  listMembers(input: Input['conversations']['members']): Promise<Member[]>;
  listHistory(input: Input['messages']['history']): Promise<HistoryPage>;
  sendMessage(input: Input['messages']['send']): Promise<Message>;
  editMessage(input: Input['messages']['edit']): Promise<Message>;
  deleteMessage(input: Input['messages']['delete']): Promise<Message>;
  react(input: Input['messages']['react']): Promise<MessageReactions>;
  removeReaction(input: Input['messages']['removeReaction']): Promise<MessageReactions>;
  pin(input: Input['messages']['pin']): Promise<Message>;
  unpin(input: Input['messages']['unpin']): Promise<Message>;
  listPinned(input: Input['messages']['pinned']): Promise<Message[]>;
  forwardMessage(input: Input['messages']['forward']): Promise<Message>;
  removePreview(input: Input['messages']['removePreview']): Promise<Message>;
  saveMessage(input: Input['saved']['save']): Promise<unknown>;
  unsaveMessage(input: Input['saved']['unsave']): Promise<unknown>;
  listSaved(input: Input['saved']['list']): Promise<SavedPage>;
  listSavedKeys(): Promise<{ conversationId: string; seq: number }[]>;
  markDelivered(input: Input['receipts']['markDelivered']): Promise<unknown>;
  markRead(input: Input['receipts']['markRead']): Promise<unknown>;
  signalTyping(input: Input['conversations']['typing']): Promise<unknown>;
  createDirect(input: Input['conversations']['createDirect']): Promise<ConversationSummary>;
  createGroup(input: Input['conversations']['createGroup']): Promise<ConversationSummary>;
  renameGroup(input: Input['conversations']['rename']): Promise<ConversationSummary>;
  setGroupPicture(input: Input['conversations']['setAvatar']): Promise<ConversationSummary>;
  removeGroupPicture(input: Input['conversations']['removeAvatar']): Promise<ConversationSummary>;
  addMembers(input: Input['conversations']['addMembers']): Promise<ConversationSummary>;
  removeMember(input: Input['conversations']['removeMember']): Promise<unknown>;
  leaveGroup(input: Input['conversations']['leave']): Promise<unknown>;
  setRole(input: Input['conversations']['setRole']): Promise<ConversationSummary>;
  transferOwnership(input: Input['conversations']['transferOwnership']): Promise<ConversationSummary>;
  loadProfiles(input: Input['users']['profiles']): Promise<UserProfile[]>;
}

/**
 * What the one live subscription tells (see `subscribeLive`, which resumes it
 * after errors and reconnects). Each returns the work it started (fetches),
 * settled once that is done: the app does not wait for it; a test does.
 */
export interface EventStreamHandlers {
  /** The first time, and after every reconnect or resubscription: the gap since arrives as events. */
  onStarted(): Promise<void>;
  /** One batch of events, in order. */
  onEvents(events: UserEvent[]): Promise<void>;
  /** An error that will not pass (signed out, refused): the stream has ended. */
  onError(error: AppErrorData): void;
}

/**
 * Everything the chat takes from outside, so that it can be built with
 * fakes in tests. `store.ts` builds the real ones (the API client, the
 * connection, localStorage, the page's events) and nothing else does.
 */
export interface ChatDeps {
  me: Me;
  api: ChatApi;
  /** Starts the live subscription; returns what stops it. */
  subscribeEvents(handlers: EventStreamHandlers): () => void;
  /** Calls `listener` now if the connection is live, and each time it is live again; returns the unsubscribe. */
  whenLive(listener: () => void): () => void;
  /** Calls `listener` each time a live connection is lost; returns the unsubscribe. */
  whenLost(listener: () => void): () => void;
  clock: Scheduler;
  /** Jitter for retry backoff, in [0, 1): Math.random, or a fixed value in tests. */
  random(): number;
  /** Where the outbox and the offline snapshot survive a reload (localStorage). */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Where this person's offline snapshot is kept (dropped at sign-out, unlike the outbox). */
  snapshotKey: string;
  /** A fresh client message id. */
  newId(): string;
  /** The typed error behind a failed call. */
  describe(error: unknown): AppErrorData;
  /** Signed out, nothing is kept for offline use (what was is gone, and stays gone). */
  isSignedIn(): boolean;
  /** Calls `save` at each moment the page may be left for good (closed, reloaded, hidden); returns what stops it. */
  onPageLeave(save: () => void): () => void;
  /** My own profile, edited here or on another device: the signed-in person shows it. */
  adoptMyProfile(profile: UserProfile): void;
  /** From the live event: a shared file was processed, or failed. */
  applyAttachmentStatus(status: AttachmentStatus): void;
}
