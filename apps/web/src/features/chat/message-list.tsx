import type { Member, Message, SystemEvent } from '@gopherchat/api';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { linkify } from './linkify.ts';
import type { OutgoingMessage } from './outbox.ts';
import { continuesGroup, dayKey } from './timeline.ts';

/** Within this many pixels of the bottom counts as "reading the latest". */
const BOTTOM_SLACK_PX = 80;
/** Older history loads when the top comes this close. */
const TOP_PRELOAD_PX = 200;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

function MessageText(props: { text: string }) {
  return (
    <For each={linkify(props.text)}>
      {(part) =>
        part.kind === 'link' ? (
          <a
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
            class="underline decoration-accent/50 underline-offset-2 hover:decoration-accent"
          >
            {part.text}
          </a>
        ) : (
          part.text
        )
      }
    </For>
  );
}

function describeSystem(event: SystemEvent, nameOf: (userId: string) => string): string {
  switch (event.kind) {
    case 'created':
      return `${nameOf(event.by)} started the conversation`;
    case 'member_added':
      return `${nameOf(event.by)} added ${nameOf(event.userId)}`;
    case 'member_removed':
      return `${nameOf(event.by)} removed ${nameOf(event.userId)}`;
    case 'member_left':
      return `${nameOf(event.userId)} left`;
    case 'renamed':
      return `${nameOf(event.by)} renamed the group to “${event.title}”`;
  }
}

/**
 * A conversation's messages, oldest at the top: day separators, consecutive
 * messages of one sender grouped, then what is still on its way out. Scrolling
 * near the top loads older pages without moving what is on screen; a new
 * message keeps the view at the bottom only if the reader was already there.
 */
export function MessageList(props: {
  myId: string;
  messages: Message[];
  outgoing: OutgoingMessage[];
  members: Record<string, Member>;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
}) {
  let scroller: HTMLDivElement | undefined;
  const [isAtBottom, setIsAtBottom] = createSignal(true);
  const nameOf = (userId: string) =>
    userId === props.myId ? 'You' : (props.members[userId]?.displayName ?? 'Someone');
  // Sent messages already in the timeline are not shown twice.
  const stillOutgoing = () => {
    const arrived = new Set(props.messages.map((message) => message.clientMessageId));
    return props.outgoing.filter((message) => !arrived.has(message.clientMessageId));
  };

  const scrollToBottom = () => scroller?.scrollTo({ top: scroller.scrollHeight });

  // Older pages go on top: keep the distance from the bottom, so nothing on screen moves.
  let heightBeforeOlder = 0;
  createEffect(
    on(
      () => props.isLoadingOlder,
      (isLoading) => {
        if (!scroller) return;
        if (isLoading) heightBeforeOlder = scroller.scrollHeight - scroller.scrollTop;
        else if (heightBeforeOlder) {
          scroller.scrollTop = scroller.scrollHeight - heightBeforeOlder;
          heightBeforeOlder = 0;
        }
      },
      { defer: true },
    ),
  );
  createEffect(
    on(
      () => [props.messages.at(-1)?.seq, stillOutgoing().length],
      () => {
        if (isAtBottom()) queueMicrotask(scrollToBottom);
      },
    ),
  );

  const onScroll = () => {
    if (!scroller) return;
    setIsAtBottom(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < BOTTOM_SLACK_PX);
    if (scroller.scrollTop < TOP_PRELOAD_PX && props.hasOlder && !props.isLoadingOlder) props.onLoadOlder();
  };

  return (
    <div class="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        class="h-full overflow-y-auto px-4 py-4 sm:px-6"
        data-testid="message-list"
        role="log"
        aria-live="polite"
        aria-label="Messages"
      >
        <Show when={props.hasOlder}>
          <p class="py-2 text-center text-xs text-slate-400" role="status">
            {props.isLoadingOlder ? 'Loading earlier messages…' : ''}
          </p>
        </Show>
        <ol class="flex flex-col">
          <For each={props.messages}>
            {(message, index) => {
              const previous = () => props.messages[index() - 1];
              const isNewDay = () => !previous() || dayKey(previous()?.createdAt ?? '') !== dayKey(message.createdAt);
              const isContinued = () => !isNewDay() && continuesGroup(previous(), message);
              const isMine = () => message.senderId === props.myId;
              return (
                <li data-seq={message.seq}>
                  <Show when={isNewDay()}>
                    <p class="my-4 text-center text-xs font-medium text-slate-400">
                      {dayFormat.format(new Date(message.createdAt))}
                    </p>
                  </Show>
                  <Show
                    when={message.content.type !== 'system'}
                    fallback={
                      <p class="my-2 text-center text-xs text-slate-500 dark:text-slate-400">
                        {message.content.type === 'system' ? describeSystem(message.content.event, nameOf) : ''}
                      </p>
                    }
                  >
                    <div
                      class={`flex ${isMine() ? 'justify-end' : 'justify-start'} ${isContinued() ? 'mt-0.5' : 'mt-3'}`}
                    >
                      <div class={`max-w-[75%] ${isMine() ? 'items-end' : 'items-start'} flex flex-col`}>
                        <Show when={!isContinued()}>
                          <p class="mb-1 px-1 text-xs text-slate-500 dark:text-slate-400">
                            <span class="font-medium text-slate-700 dark:text-slate-200">
                              {nameOf(message.senderId ?? '')}
                            </span>{' '}
                            {timeFormat.format(new Date(message.createdAt))}
                          </p>
                        </Show>
                        <div
                          class={`whitespace-pre-wrap break-words rounded-2xl px-3.5 py-2 text-sm ${
                            isMine()
                              ? 'bg-accent text-white'
                              : 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100'
                          }`}
                          data-testid="message"
                        >
                          {message.content.type === 'text' ? (
                            <MessageText text={message.content.text} />
                          ) : (
                            <em class="opacity-70">This message was deleted.</em>
                          )}
                        </div>
                      </div>
                    </div>
                  </Show>
                </li>
              );
            }}
          </For>
          <For each={stillOutgoing()}>
            {(message) => (
              <li class="mt-1 flex justify-end" data-state={message.state}>
                <div class="max-w-[75%] flex flex-col items-end">
                  <div
                    class="whitespace-pre-wrap break-words rounded-2xl bg-accent/70 px-3.5 py-2 text-sm text-white"
                    data-testid="message"
                  >
                    {message.text}
                  </div>
                  <Show
                    when={message.state === 'failed'}
                    fallback={<p class="px-1 text-xs text-slate-400">Sending…</p>}
                  >
                    <p class="px-1 text-xs text-red-600 dark:text-red-400" role="alert">
                      {message.failure ?? 'Not sent.'}{' '}
                      <button type="button" class="underline" onClick={() => props.onRetry(message.clientMessageId)}>
                        Retry
                      </button>{' '}
                      <button type="button" class="underline" onClick={() => props.onDiscard(message.clientMessageId)}>
                        Discard
                      </button>
                    </p>
                  </Show>
                </div>
              </li>
            )}
          </For>
        </ol>
      </div>
      <Show when={!isAtBottom()}>
        <button
          type="button"
          class="btn-primary absolute bottom-4 right-6 shadow-lg"
          onClick={() => {
            scrollToBottom();
            setIsAtBottom(true);
          }}
        >
          Jump to latest
        </button>
      </Show>
    </div>
  );
}
