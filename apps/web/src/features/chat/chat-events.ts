import type { AttachmentStatus, Message, UserEvent, UserProfile } from '@gopherchat/api';
import type { SavedKeys } from '../saved/saved-keys.ts';
import type { ChatStateStore } from './chat-state.ts';
import type { ConversationsStore } from './conversations-store.ts';
import type { GroupAdmin } from './group-admin.ts';
import type { HistoryStore } from './history-store.ts';
import type { IncomingMessages } from './incoming-messages.ts';
import type { PresenceStore } from './presence-store.ts';
import type { ReceiptsStore } from './receipts-store.ts';
import type { TypingStore } from './typing-store.ts';

/**
 * A note that another member left or was removed. It is all the others are
 * told, so the member list, the count and my role (an owner who leaves hands
 * the group on) are fetched again.
 */
function isSomeoneElseGone({ content }: Message, myId: string) {
  return (
    content.type === 'system' &&
    (content.event.kind === 'member_left' || content.event.kind === 'member_removed') &&
    content.event.userId !== myId
  );
}

/** The fetches one event started, settled together (the app does not wait; a test does). */
const allOf = (...work: Array<Promise<void> | undefined>) => Promise.all(work).then(() => undefined);

/**
 * Routes each live event to the part of the chat it concerns. Exhaustive: a
 * new kind of event does not compile until it is handled here. Returns the
 * work an event started (fetching a conversation again), if any.
 */
export function createEventHandler(deps: {
  store: ChatStateStore;
  myId: string;
  incoming: Pick<IncomingMessages, 'applyMessage' | 'showMessage'>;
  history: Pick<HistoryStore, 'applyReactions'>;
  conversations: Pick<ConversationsStore, 'refresh' | 'forget' | 'reloadEverything'>;
  receipts: Pick<ReceiptsStore, 'noteDelivered' | 'applyReceipts'>;
  typing: Pick<TypingStore, 'applyTyping'>;
  presence: Pick<PresenceStore, 'apply'>;
  groups: Pick<GroupAdmin, 'isLeaving'>;
  saved: Pick<SavedKeys, 'apply'>;
  applyProfile(profile: UserProfile): void;
  applyAttachmentStatus(status: AttachmentStatus): void;
  tell(text: string): void;
}) {
  const { state } = deps.store;

  return function handle(event: UserEvent): Promise<void> | undefined {
    switch (event.kind) {
      case 'message': {
        const { message } = event;
        if (message.senderId !== deps.myId) deps.receipts.noteDelivered(message.conversationId, message.seq);
        return allOf(
          deps.incoming.applyMessage(message),
          isSomeoneElseGone(message, deps.myId) ? deps.conversations.refresh(message.conversationId) : undefined,
        );
      }
      case 'message_updated':
        return deps.incoming.showMessage(event.message);
      case 'reactions':
        deps.history.applyReactions(event.update);
        return;
      case 'conversation_updated':
        return deps.conversations.refresh(event.conversationId);
      case 'receipts':
        deps.receipts.applyReceipts(event.conversationId, event.receipts);
        return;
      case 'presence':
        deps.presence.apply(event);
        return;
      case 'typing':
        deps.typing.applyTyping(event.conversationId, event.userId, event.isTyping);
        return;
      case 'removed_from_conversation': {
        const title = state.conversations[event.conversationId]?.title;
        deps.conversations.forget(event.conversationId);
        if (title && !deps.groups.isLeaving(event.conversationId)) deps.tell(`You are no longer in “${title}”.`);
        return;
      }
      case 'profile':
        deps.applyProfile(event.profile);
        return;
      case 'attachment_updated':
        deps.applyAttachmentStatus(event.attachment);
        return;
      case 'saved':
        deps.saved.apply(event);
        return;
      case 'resync':
        return deps.conversations.reloadEverything();
      default:
        return event satisfies never;
    }
  };
}
