import {
  type ConversationSummary,
  liveStatusOf,
  type Member,
  type UserPresence,
  type UserStatus,
} from '@gopherchat/api';
import { createSignal, type JSX, onCleanup, Show } from 'solid-js';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { BackToConversations } from '../../lib/ui/back-to-conversations.tsx';
import { statusLine } from '../status/status-times.ts';
import { describePresence } from './last-seen.ts';

/** "last seen 5 min ago" goes stale by itself: the clock is read again this often. */
const CLOCK_TICK_MS = 60_000;

/**
 * The open conversation's title and who is around: the peer of a direct
 * conversation online or last seen when, how many of a group's members are
 * online.
 */
export function ConversationHeader(props: {
  myId: string;
  conversation: ConversationSummary;
  members: Record<string, Member>;
  presence: Record<string, UserPresence>;
  /** Statuses people set, by user id (the peer's shows in a direct conversation). */
  statuses: Record<string, UserStatus | null>;
  /** People's pictures, by user id (the peer's shows for a direct conversation). */
  avatars: Record<string, string | null>;
  onBack: () => void;
  /** What can be done with the conversation (a group's settings), at the header's end. */
  children?: JSX.Element;
}) {
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
  onCleanup(() => clearInterval(clock));

  const status = () => {
    const { conversation } = props;
    if (conversation.peer) {
      return describePresence(props.presence[conversation.peer.userId], now()) ?? 'Direct conversation';
    }
    const online = Object.keys(props.members).filter(
      (userId) => userId !== props.myId && props.presence[userId]?.isOnline,
    ).length;
    const count = `${conversation.memberCount} ${conversation.memberCount === 1 ? 'member' : 'members'}`;
    return online > 0 ? `${count}, ${online} online` : count;
  };

  const peerStatus = () => {
    const peerId = props.conversation.peer?.userId;
    return peerId ? liveStatusOf(props.statuses[peerId], now()) : undefined;
  };

  return (
    <header class="flex items-center gap-3 border-b border-line px-4 py-3" data-testid="conversation-header">
      <BackToConversations onBack={props.onBack} class="md:hidden" />
      {/* On a phone the title needs the room. */}
      <span class="hidden flex-none sm:block">
        <Avatar
          name={props.conversation.title}
          avatarKey={
            props.conversation.peer ? props.avatars[props.conversation.peer.userId] : props.conversation.avatarKey
          }
          class="h-9 w-9 bg-line-strong text-xs text-fg"
        />
      </span>
      <div class="min-w-0 flex-1">
        <h2 class="truncate font-semibold" data-testid="conversation-title">
          {props.conversation.title}
        </h2>
        <p class="truncate text-xs text-fg-muted" data-testid="conversation-status">
          {status()}
          <Show when={peerStatus()}>{(set) => <span data-testid="peer-status"> · {statusLine(set())}</span>}</Show>
        </p>
      </div>
      {props.children}
    </header>
  );
}
