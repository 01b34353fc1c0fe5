import {
  type AttachmentKind,
  type ConversationSummary,
  UNREAD_MENTIONS_LISTED,
  type UserPresence,
  type UserStatus,
} from '@gopherchat/api';
import { For, Show } from 'solid-js';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { statusLine } from '../status/status-times.ts';
import { presenceStatusOf } from './last-seen.ts';
import { wordsOf } from './markdown.ts';
import { describeSystemEvent } from './system-events.ts';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function when(iso: string) {
  const date = new Date(iso);
  return date.toDateString() === new Date().toDateString() ? timeFormat.format(date) : dateFormat.format(date);
}

/** What a shared file's preview starts with. */
const KIND_MARKS = { image: '🖼', audio: '🎵', video: '🎬', file: '📎' } satisfies Record<AttachmentKind, string>;

function preview(summary: ConversationSummary, myId: string, nameOf: (userId: string) => string): string {
  const message = summary.lastMessage;
  if (!message) return 'No messages yet';
  const who = message.senderId === myId ? 'You: ' : '';
  switch (message.content.type) {
    case 'text':
      return who + wordsOf(message.content);
    case 'attachment':
      return `${who}${KIND_MARKS[message.content.attachment.kind] ?? KIND_MARKS.file} ${wordsOf(message.content)}`;
    case 'deleted':
      return `${who}(deleted)`;
    case 'system': {
      const { peer } = summary;
      return describeSystemEvent(message.content.event, myId, (userId) =>
        peer?.userId === userId ? peer.displayName : nameOf(userId),
      );
    }
  }
}

/** Unread mentions of me in a conversation, as the badge shows them. */
const mentionCount = (summary: ConversationSummary) =>
  summary.unreadMentionSeqs.length >= UNREAD_MENTIONS_LISTED
    ? `${UNREAD_MENTIONS_LISTED}+`
    : summary.unreadMentionSeqs.length;

/** The conversations, most recently active first, with what is new in each and who is online. */
export function ConversationList(props: {
  myId: string;
  conversations: readonly ConversationSummary[];
  presence: Record<string, UserPresence>;
  /** The status a person set, while it lasts. */
  statusOf: (userId: string) => UserStatus | undefined;
  /** A person's profile picture key, once known (null: initials). */
  avatarOf: (userId: string) => string | null | undefined;
  activeId: string | undefined;
  /** Names of people the list may mention (notes of who did what). */
  nameOf: (userId: string) => string;
  /** What was written in a conversation and not sent: shown instead of its last message, except in the open one. */
  draftOf: (conversationId: string) => string;
  onOpen: (conversationId: string) => void;
  /** What an empty list says. */
  emptyText: string;
}) {
  return (
    <nav id="conversation-list" tabIndex={-1} aria-label="Conversations" class="min-h-0 flex-1 overflow-y-auto">
      <Show
        when={props.conversations.length > 0}
        fallback={<p class="px-4 py-6 text-sm text-fg-muted">{props.emptyText}</p>}
      >
        <ul class="flex flex-col gap-0.5 p-2">
          <For each={props.conversations}>
            {(summary) => (
              <li>
                <button
                  type="button"
                  class={`w-full flex items-center gap-3 rounded-xl px-3 py-2.5 text-left transition ${
                    props.activeId === summary.id ? 'bg-accent-soft' : 'hover:bg-surface-sunken'
                  }`}
                  aria-current={props.activeId === summary.id ? 'true' : undefined}
                  data-testid="conversation"
                  onClick={() => props.onOpen(summary.id)}
                >
                  <span class="relative flex-none">
                    <Avatar
                      name={summary.title}
                      avatarKey={summary.peer ? props.avatarOf(summary.peer.userId) : summary.avatarKey}
                      class="h-10 w-10 bg-line-strong text-sm text-fg"
                    />
                    <Show when={summary.peer}>
                      {(peer) => {
                        const status = () => presenceStatusOf(props.presence[peer().userId]);
                        return (
                          <span
                            class="absolute bottom-0 right-0 h-3 w-3 rounded-full ring-2 ring-surface-raised"
                            classList={{
                              hidden: status() !== 'online' && status() !== 'away',
                              'bg-emerald-500': status() === 'online',
                              'border-2 border-amber-500 bg-surface-raised': status() === 'away',
                            }}
                            data-presence={status()}
                          >
                            <span class="sr-only">{status() === 'away' ? '(away)' : '(online)'}</span>
                          </span>
                        );
                      }}
                    </Show>
                  </span>
                  <span class="min-w-0 flex-1">
                    <span class="flex items-baseline justify-between gap-2">
                      <span class="flex min-w-0 items-baseline gap-1">
                        <span class="truncate text-sm font-semibold">{summary.title}</span>
                        <Show when={summary.peer && props.statusOf(summary.peer.userId)}>
                          {(status) => (
                            <span class="flex-none text-sm" title={statusLine(status())} data-testid="list-status">
                              {status().emoji ?? '💬'}
                            </span>
                          )}
                        </Show>
                      </span>
                      <span class="flex-none text-xs text-fg-muted">
                        {when(summary.lastMessage?.createdAt ?? summary.createdAt)}
                      </span>
                    </span>
                    <span class="flex items-center justify-between gap-2">
                      <Show
                        when={summary.id !== props.activeId && props.draftOf(summary.id).trim()}
                        fallback={
                          <span class="truncate text-sm text-fg-muted">
                            {preview(summary, props.myId, props.nameOf)}
                          </span>
                        }
                      >
                        {(draft) => (
                          <span class="truncate text-sm text-fg-muted" data-testid="draft">
                            <span class="font-medium text-danger">Draft:</span> {draft().replace(/\s+/g, ' ')}
                          </span>
                        )}
                      </Show>
                      <Show when={summary.unreadMentionSeqs.length > 0}>
                        <span
                          class="min-w-5 flex-none rounded-full bg-amber-400 px-1.5 text-center text-xs font-semibold leading-5 text-black"
                          data-testid="unread-mentions"
                        >
                          <span class="sr-only">Mentions of you: </span>
                          <span aria-hidden="true">@</span>
                          {mentionCount(summary)}
                        </span>
                      </Show>
                      <Show when={summary.unreadCount > 0}>
                        <span
                          class="min-w-5 flex-none rounded-full bg-accent px-1.5 text-center text-xs font-semibold leading-5 text-accent-contrast"
                          data-testid="unread"
                        >
                          <span class="sr-only">Unread: </span>
                          {summary.unreadCount}
                        </span>
                      </Show>
                    </span>
                  </span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </nav>
  );
}
