import { liveStatusOf, type Me } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { createEffect, createMemo, createSignal, For } from 'solid-js';
import { navigate } from '../../lib/router.ts';
import { createDesktopNotifications } from '../notifications/desktop-notifications.tsx';
import { userIdsNamedIn } from '../people/directory.ts';
import { SavedDialog } from '../saved/saved-dialog.tsx';
import { ConnectionBanner } from './connection-banner.tsx';
import { conversationsShown, type ListFilter } from './conversation-filter.ts';
import { ConversationList } from './conversation-list.tsx';
import { NewConversationDialog } from './new-conversation-dialog.tsx';
import type { ChatStore } from './store.ts';

const FILTERS: [ListFilter, string][] = [
  ['all', 'All'],
  ['unread', 'Unread'],
  ['mentions', 'Mentions'],
];
const EMPTY_TEXT: Record<ListFilter, string> = {
  all: 'No conversations yet. Start one by finding someone by name.',
  unread: 'Nothing unread.',
  mentions: 'No unread mentions of you.',
};

/** The conversations, newest activity first, under a way to start a new one and the connection's state. */
export function ChatSidebar(props: { me: Me; chat: ChatStore; onOpen: (conversationId: string) => void }) {
  const { chat } = props;
  // The people the previews' notes name ("You made Bob an admin") are looked up, or they read "Someone".
  createEffect(() =>
    chat.people.want(userIdsNamedIn(chat.conversationList().flatMap((summary) => summary.lastMessage ?? []))),
  );
  const notifications = createDesktopNotifications({
    myId: props.me.id,
    conversations: chat.conversationList,
    senderName: (userId, summary) => summary.peer?.displayName ?? chat.people.names[userId] ?? 'Someone',
    open: (conversationId, seq) => navigate({ page: 'conversation', conversationId, seq }),
  });
  const [filter, setFilter] = createSignal<ListFilter>('all');
  const shown = createMemo(() => conversationsShown(chat.conversationList(), filter(), chat.state.activeId));
  // Direct conversations show the other person's picture, which comes with their profile.
  createEffect(() => chat.people.want(chat.conversationList().flatMap((summary) => summary.peer?.userId ?? [])));
  return (
    <>
      <div class="flex items-center gap-2 border-b border-line px-3 py-2">
        <h2 class="mr-auto text-sm font-semibold">Chats</h2>
        <SavedDialog
          myId={props.me.id}
          conversations={chat.state.conversations}
          nameOf={(userId) => chat.people.names[userId] ?? 'Someone'}
          wantNames={chat.people.want}
          load={chat.listSaved}
          onRemove={(conversationId, seq) => chat.saved.setSaved(conversationId, seq, false)}
          describe={(error) => toAppError(error).userMessage}
          onShow={(conversationId, seq) => navigate({ page: 'conversation', conversationId, seq })}
        />
        <NewConversationDialog myId={props.me.id} onStartDirect={chat.startDirect} onStartGroup={chat.startGroup} />
      </div>
      <ConnectionBanner />
      <notifications.Offer />
      <fieldset class="flex gap-1 px-3 pt-2" aria-label="Show conversations">
        <For each={FILTERS}>
          {([value, label]) => (
            <button
              type="button"
              class={`min-h-11 min-w-11 rounded-full px-3 text-xs font-medium md:min-h-8 ${
                filter() === value ? 'bg-accent text-accent-contrast' : 'bg-surface-sunken text-fg-muted hover:text-fg'
              }`}
              aria-pressed={filter() === value}
              onClick={() => setFilter(value)}
            >
              {label}
            </button>
          )}
        </For>
      </fieldset>
      <ConversationList
        myId={props.me.id}
        conversations={shown()}
        emptyText={EMPTY_TEXT[filter()]}
        presence={chat.state.presence}
        avatarOf={(userId) => chat.people.avatars[userId]}
        // Read as the list renders: one that lapsed goes at the next change.
        statusOf={(userId) => liveStatusOf(chat.people.statuses[userId], Date.now())}
        activeId={chat.state.activeId}
        nameOf={(userId) => chat.people.names[userId] ?? 'Someone'}
        draftOf={chat.drafts.of}
        onOpen={props.onOpen}
      />
    </>
  );
}
