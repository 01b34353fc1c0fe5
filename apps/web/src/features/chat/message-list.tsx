import type {
  ConversationKind,
  Member,
  MemberReceipt,
  MemberRole,
  Message,
  ReadPointers,
  SystemEvent,
} from '@gopherchat/api';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { linkify } from './linkify.ts';
import { type MessageAction, MessageActions } from './message-actions.tsx';
import type { OutgoingMessage } from './outbox.ts';
import { canDelete, canEdit, canReplyTo } from './permissions.ts';
import { type Receipt, type ReceiptState, receiptOf } from './receipts.ts';
import { continuesGroup, dayKey, excerpt, messageAt } from './timeline.ts';

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

const RECEIPT_WORDS: Record<ReceiptState, string> = { sent: 'Sent', delivered: 'Delivered', read: 'Read' };
const NOT_YET: ReadPointers = { lastDeliveredSeq: 0, lastReadSeq: 0 };

/**
 * Ticks beside one of my messages: ✓ sent, ✓✓ delivered, ✓✓ in the accent
 * colour read. In a group, who has read it so far too ("Read by 2", names in
 * the tooltip). Screen readers get the same in words.
 */
function ReceiptMark(props: { receipt: Receipt; isGroup: boolean; nameOf: (userId: string) => string }) {
  const readers = () => props.receipt.readBy.map(props.nameOf).join(', ');
  const hasGroupReaders = () => props.isGroup && props.receipt.readBy.length > 0;
  const words = () => RECEIPT_WORDS[props.receipt.state];
  return (
    <span
      class={`flex-none pb-1 text-xs ${props.receipt.state === 'read' ? 'text-accent' : 'text-slate-400'}`}
      title={hasGroupReaders() ? `Read by ${readers()}` : words()}
      // Readable in place, but not announced by the log on every change: a burst of reads would be a chorus.
      aria-live="off"
    >
      <span aria-hidden="true">
        {props.receipt.state === 'sent' ? '✓' : '✓✓'}
        {hasGroupReaders() ? ` Read by ${props.receipt.readBy.length}` : ''}
      </span>
      <span class="sr-only">{hasGroupReaders() ? `${words()}, read by ${readers()}` : words()}</span>
    </span>
  );
}

/**
 * The quote above a reply: who wrote what it answers, and how it began. A
 * click goes to it when it is loaded; further back it is "an earlier message".
 */
function ReplyQuote(props: {
  replied: Message | undefined;
  nameOf: (userId: string) => string;
  onShow: (seq: number) => void;
}) {
  const words = () => {
    const { replied } = props;
    if (!replied) return 'An earlier message';
    const author = props.nameOf(replied.senderId ?? '');
    return replied.content.type === 'text'
      ? `${author}: ${excerpt(replied.content.text)}`
      : `${author}: message deleted`;
  };
  const quoteClass =
    'mb-0.5 max-w-full truncate border-l-2 border-accent/60 px-2 text-left text-xs text-slate-500 dark:text-slate-400';
  return (
    <Show
      when={props.replied}
      fallback={
        <p class={quoteClass} data-testid="reply-quote">
          ↩ {words()}
        </p>
      }
    >
      {(replied) => (
        <button
          type="button"
          class={`${quoteClass} hover:text-slate-800 dark:hover:text-slate-200`}
          data-testid="reply-quote"
          aria-label={`In reply to ${words()}. Show that message.`}
          onClick={() => props.onShow(replied().seq)}
        >
          ↩ {words()}
        </button>
      )}
    </Show>
  );
}

/** The newest message whose top has come into the scroller's view: reading has got that far. */
function newestSeqInView(scroller: HTMLElement): number | undefined {
  const viewportBottom = scroller.getBoundingClientRect().bottom;
  const items = scroller.querySelectorAll<HTMLElement>('li[data-seq]');
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index] as HTMLElement;
    // The message itself, not the day separator above it.
    if ((item.lastElementChild ?? item).getBoundingClientRect().top < viewportBottom) return Number(item.dataset.seq);
  }
  return undefined;
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
 * message keeps the view at the bottom only if the reader was already there,
 * and another conversation opens at its bottom. While the page is in front of
 * the reader, `onSeen` hears the newest message that has come on screen.
 */
export function MessageList(props: {
  conversationId: string;
  kind: ConversationKind;
  myId: string;
  myRole: MemberRole;
  messages: Message[];
  outgoing: OutgoingMessage[];
  members: Record<string, Member>;
  /** Display names by user id, former members included. */
  names: Record<string, string>;
  pointers: Record<string, ReadPointers>;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
  onSeen: (seq: number) => void;
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
  onDelete: (message: Message) => void;
}) {
  let scroller: HTMLDivElement | undefined;
  const [isAtBottom, setIsAtBottom] = createSignal(true);
  const nameOf = (userId: string) => (userId === props.myId ? 'You' : (props.names[userId] ?? 'Someone'));
  // Sent messages already in the timeline are not shown twice.
  const stillOutgoing = () => {
    const arrived = new Set(props.messages.map((message) => message.clientMessageId));
    return props.outgoing.filter((message) => !arrived.has(message.clientMessageId));
  };

  // Everyone else here, with how far they have got; empty until the members are known.
  const others = createMemo((): MemberReceipt[] =>
    Object.keys(props.members)
      .filter((userId) => userId !== props.myId)
      .map((userId) => ({ userId, ...(props.pointers[userId] ?? NOT_YET) })),
  );
  const hasMembers = () => Object.keys(props.members).length > 0;

  const scrollToBottom = () => scroller?.scrollTo({ top: scroller.scrollHeight });

  /** Brings a loaded message into view and focus (which outlines it), e.g. from a reply's quote. */
  const showMessageAt = (seq: number) => {
    const bubble = scroller?.querySelector<HTMLElement>(`li[data-seq="${seq}"] [data-testid="message"]`);
    bubble?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    bubble?.focus({ preventScroll: true });
  };
  const quoteOf = (replyToSeq: number | null | undefined) =>
    replyToSeq ? (
      <ReplyQuote replied={messageAt(props.messages, replyToSeq)} nameOf={nameOf} onShow={showMessageAt} />
    ) : undefined;

  const actionsOn = (message: Message): MessageAction[] => [
    ...(canReplyTo(message) ? [{ label: 'Reply', run: () => props.onReply(message) }] : []),
    ...(canEdit(message, props.myId) ? [{ label: 'Edit', run: () => props.onEdit(message) }] : []),
    ...(canDelete(message, props.myId, props.myRole)
      ? [{ label: 'Delete', confirm: 'Delete for everyone?', run: () => props.onDelete(message) }]
      : []),
  ];

  const reportSeen = () => {
    if (!scroller || document.visibilityState !== 'visible' || !document.hasFocus()) return;
    const seq = newestSeqInView(scroller);
    if (seq !== undefined) props.onSeen(seq);
  };
  // Coming back to the page counts as seeing what is on screen.
  window.addEventListener('focus', reportSeen);
  document.addEventListener('visibilitychange', reportSeen);
  onCleanup(() => {
    window.removeEventListener('focus', reportSeen);
    document.removeEventListener('visibilitychange', reportSeen);
  });

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
      () => props.conversationId,
      () => setIsAtBottom(true),
    ),
  );
  createEffect(
    on(
      () => [props.conversationId, props.messages.at(-1)?.seq, stillOutgoing().length],
      () =>
        // Once the new messages are laid out, before the next paint.
        queueMicrotask(() => {
          if (isAtBottom()) scrollToBottom();
          reportSeen();
        }),
    ),
  );

  const onScroll = () => {
    if (!scroller) return;
    setIsAtBottom(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < BOTTOM_SLACK_PX);
    if (scroller.scrollTop < TOP_PRELOAD_PX && props.hasOlder && !props.isLoadingOlder) props.onLoadOlder();
    reportSeen();
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
              const receipt = createMemo(() =>
                isMine() && hasMembers() ? receiptOf(message.seq, others()) : undefined,
              );
              const actions = () => actionsOn(message);
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
                      class={`group flex ${isMine() ? 'justify-end' : 'justify-start'} ${isContinued() ? 'mt-0.5' : 'mt-3'}`}
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
                        {quoteOf(message.replyToSeq)}
                        <div class="flex max-w-full items-end gap-1.5">
                          <Show when={receipt()}>
                            {(mark) => (
                              <ReceiptMark receipt={mark()} isGroup={props.kind === 'group'} nameOf={nameOf} />
                            )}
                          </Show>
                          <div
                            class={`min-w-0 whitespace-pre-wrap break-words rounded-2xl px-3.5 py-2 text-sm focus:outline focus:outline-2 focus:outline-offset-2 focus:outline-accent ${
                              isMine()
                                ? 'bg-accent text-white'
                                : 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100'
                            }`}
                            data-testid="message"
                            data-receipt={receipt()?.state}
                            // Focused by a reply's quote, to show where the replied message is.
                            tabIndex={-1}
                          >
                            {message.content.type === 'text' ? (
                              <MessageText text={message.content.text} />
                            ) : (
                              <em class="opacity-70">This message was deleted.</em>
                            )}
                          </div>
                          <Show when={actions().length > 0}>
                            <MessageActions actions={actions()} isMine={isMine()} />
                          </Show>
                        </div>
                        <Show when={message.editedAt && message.content.type === 'text'}>
                          <p class="px-1 text-xs text-slate-400">(edited)</p>
                        </Show>
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
                  {quoteOf(message.replyToSeq)}
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
