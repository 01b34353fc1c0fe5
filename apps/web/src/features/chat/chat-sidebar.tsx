import { liveStatusOf, type Me } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { createEffect } from 'solid-js';
import { navigate } from '../../lib/router.ts';
import { userIdsNamedIn } from '../people/directory.ts';
import { SavedDialog } from '../saved/saved-dialog.tsx';
import { ConnectionBanner } from './connection-banner.tsx';
import { ConversationList } from './conversation-list.tsx';
import { NewConversationDialog } from './new-conversation-dialog.tsx';
import type { ChatStore } from './store.ts';

/** The conversations, newest activity first, under a way to start a new one and the connection's state. */
export function ChatSidebar(props: { me: Me; chat: ChatStore; onOpen: (conversationId: string) => void }) {
  const { chat } = props;
  // The people the previews' notes name ("You made Bob an admin") are looked up, or they read "Someone".
  createEffect(() =>
    chat.people.want(userIdsNamedIn(chat.conversationList().flatMap((summary) => summary.lastMessage ?? []))),
  );
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
      <ConversationList
        myId={props.me.id}
        conversations={chat.conversationList()}
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
