import type { Message, MessageContent } from '@gopherchat/api';
import { createMemo, type JSX, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { MenuAction } from '../../lib/ui/actions-menu.tsx';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { AttachmentContent } from '../attachments/attachment-content.tsx';
import type { AttachmentStore } from '../attachments/store.ts';
import { LinkPreviewCard } from './link-preview-card.tsx';
import { wordsOf } from './markdown.ts';
import { MessageActions, type QuickReactions } from './message-actions.tsx';
import { MessageText } from './message-text.tsx';
import type { OutgoingMessage } from './outbox.ts';
import { ReactionBar } from './reaction-bar.tsx';
import type { Receipt, ReceiptState } from './receipts.ts';
import { describeSystemEvent } from './system-events.ts';
import { continuesGroup, dayKey, excerpt } from './timeline.ts';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

const forwardedFrom = (content: MessageContent) =>
  content.type === 'text' || content.type === 'attachment' ? content.forwardedFrom : undefined;

const RECEIPT_WORDS: Record<ReceiptState, string> = { sent: 'Sent', delivered: 'Delivered', read: 'Read' };

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
      class={`flex-none pb-1 text-xs ${props.receipt.state === 'read' ? 'text-accent-fg' : 'text-fg-muted'}`}
      title={hasGroupReaders() ? `Read by ${readers()}` : words()}
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
 * The quote above a reply: who wrote what it answers, and how it began; "an
 * earlier message" while that is not loaded. A click goes to it, loading the
 * messages around it first when it is further back.
 */
export function ReplyQuote(props: {
  replied: Message | undefined;
  nameOf: (userId: string) => string;
  onShow: () => void;
}) {
  const words = () => {
    const { replied } = props;
    if (!replied) return 'An earlier message';
    const author = props.nameOf(replied.senderId ?? '');
    switch (replied.content.type) {
      case 'text':
      case 'attachment':
        return `${author}: ${excerpt(wordsOf(replied.content))}`;
      default:
        return `${author}: message deleted`;
    }
  };
  return (
    <button
      type="button"
      class="mb-0.5 max-w-full truncate border-l-2 border-accent/60 px-2 text-left text-xs text-fg-muted hover:text-fg"
      data-testid="reply-quote"
      aria-label={`In reply to ${words()}. Show that message.`}
      onClick={() => props.onShow()}
    >
      ↩ {words()}
    </button>
  );
}

/**
 * The line above the first message that was unread when the conversation
 * opened. Read out as a heading, so that a screen reader can jump to it.
 */
function NewMessagesDivider() {
  return (
    <div class="my-3 flex items-center gap-3 text-xs font-semibold text-danger" data-testid="new-messages-divider">
      <span class="h-px flex-1 bg-danger/60" />
      <h3 class="text-xs">New messages</h3>
      <span class="h-px flex-1 bg-danger/60" />
    </div>
  );
}

/**
 * One loaded message: the day line when it begins a day, the "New messages"
 * divider when it was the first unread, the sender line unless it continues
 * the same sender's group, then its bubble, ticks and actions. A system note
 * is a centred line.
 *
 * Thousands of rows are made and thrown away as a long conversation scrolls,
 * and what each makes is the garbage collector's work while it does. So what
 * is fixed for a row's life is decided once, as it is made, in plain code:
 * whether it is a note, whether it is mine (who is signed in does not change
 * under a row), whether it is in a group, its sender and time. Only what can
 * change (its content, its neighbours, reactions, receipts, names) is tracked.
 */
export function MessageRow(props: {
  message: Message;
  previous: Message | undefined;
  myId: string;
  isGroup: boolean;
  isFirstUnread: boolean;
  receipt: Receipt | undefined;
  actions: MenuAction[];
  /** Reacting to this message, from its menu and the bar under it; none for one that takes no reactions (deleted). */
  reactions: QuickReactions | undefined;
  quote: JSX.Element | undefined;
  nameOf: (userId: string) => string;
  /** Someone's picture, beside the first of their messages in a row in a group. */
  avatarOf: (userId: string) => string | null | undefined;
  attachments: AttachmentStore;
  onRemovePreview: () => void;
}) {
  const { message, myId, isGroup } = props;
  // Read from the plain object: through the store, in a tracked scope, each field would cost every message ever
  // rendered a signal of its own, kept while the message is loaded.
  const fixed = unwrap(message);
  const previous = () => unwrap(props.previous);
  const isNewDay = createMemo(() => {
    const before = previous();
    return !before || dayKey(before.createdAt) !== dayKey(fixed.createdAt);
  });
  const dayLine = () => {
    if (!isNewDay()) return undefined;
    // A value, not a call, inside the line: a call would be tracked by a computation of its own.
    const day = dayFormat.format(new Date(fixed.createdAt));
    return <p class="my-4 text-center text-xs font-medium text-fg-muted">{day}</p>;
  };
  const divider = () => props.isFirstUnread && <NewMessagesDivider />;
  if (fixed.content.type === 'system') {
    const { event } = fixed.content;
    return (
      <>
        {dayLine()}
        {divider()}
        <p class="my-2 text-center text-xs text-fg-muted">{describeSystemEvent(event, myId, props.nameOf)}</p>
      </>
    );
  }

  const isMine = fixed.senderId === myId;
  const senderId = fixed.senderId ?? '';
  const time = timeFormat.format(new Date(fixed.createdAt));
  // In a group, who wrote what shows by picture too (not beside my own, nor in a direct conversation).
  const hasAvatarColumn = isGroup && !isMine;
  const isContinued = createMemo(() => !isNewDay() && !props.isFirstUnread && continuesGroup(previous(), fixed));
  // A change of content (an edit, a delete) replaces it whole: tracked as one, its fields are read as they are.
  const content = createMemo(() => unwrap(message.content));
  const body = (shown: MessageContent) =>
    shown.type === 'text' ? (
      // Mentions change with the text (an edit): read as it is shown, untracked like the rest of the message.
      <MessageText text={shown.text} mentions={fixed.mentions} myId={myId} />
    ) : shown.type === 'attachment' ? (
      <AttachmentContent
        attachment={shown.attachment}
        caption={shown.caption}
        isMine={isMine}
        store={props.attachments}
      />
    ) : (
      <em class="opacity-70">This message was deleted.</em>
    );
  // Ticks are for my messages only: others' make no receipt at all.
  const receipt = isMine ? createMemo(() => props.receipt) : () => undefined;
  // Tests as functions, not inline in the JSX: there, the compiler would wrap each part in a computation of its own.
  const quickReactions = () => (message.reactions.length > 0 ? props.reactions : undefined);
  const isEdited = () => Boolean(message.editedAt) && content().type === 'text';
  // The notes under a bubble are rare: one test stands for both while there are none.
  const hasNotes = () => isEdited() || Boolean(message.pinnedBy);
  return (
    <>
      {dayLine()}
      {divider()}
      <div class={`group flex gap-2 ${isMine ? 'justify-end' : 'justify-start'} ${isContinued() ? 'mt-0.5' : 'mt-3'}`}>
        {hasAvatarColumn && (
          <span class="w-8 flex-none pt-5">
            {!isContinued() && (
              <Avatar
                name={props.nameOf(senderId)}
                avatarKey={props.avatarOf(senderId)}
                class="h-8 w-8 bg-line-strong text-xs text-fg"
              />
            )}
          </span>
        )}
        <div class={`max-w-[85%] sm:max-w-[75%] ${isMine ? 'items-end' : 'items-start'} flex min-w-0 flex-col`}>
          {!isContinued() && (
            <p class="mb-1 px-1 text-xs text-fg-muted">
              <span class="font-medium text-fg">{props.nameOf(senderId)}</span> {time}
            </p>
          )}
          {props.quote}
          <Show when={forwardedFrom(content())}>
            {(from) => (
              <p class="mb-0.5 px-1 text-xs italic text-fg-muted" data-testid="forwarded-from">
                <span aria-hidden="true">↪ </span>Forwarded from {from().senderName ?? 'someone'}
              </p>
            )}
          </Show>
          <div class="flex max-w-full items-end gap-1.5">
            {isMine && (
              <Show when={receipt()}>
                {(mark) => <ReceiptMark receipt={mark()} isGroup={isGroup} nameOf={props.nameOf} />}
              </Show>
            )}
            <div
              class={`min-w-0 whitespace-pre-wrap break-words rounded-2xl ${content().type === 'attachment' ? 'p-1' : 'px-3.5 py-2'} text-sm focus:outline focus:outline-2 focus:outline-offset-2 focus:outline-accent ${
                isMine ? 'bg-accent text-accent-contrast' : 'bg-surface-sunken text-fg'
              }`}
              data-testid="message"
              data-receipt={receipt()?.state}
              // Focused by a reply's quote, to show where the replied message is.
              tabIndex={-1}
            >
              {body(content())}
            </div>
            {/* Every message but a system note offers a link to itself at least. What else it offers is worked out
                as the menu opens: worked out for every row, it would read half the message through the store. */}
            <MessageActions actions={props.actions} isMine={isMine} reactions={props.reactions} />
          </div>
          <Show when={message.linkPreview}>
            {(preview) => <LinkPreviewCard preview={preview()} isMine={isMine} onRemove={props.onRemovePreview} />}
          </Show>
          <Show when={quickReactions()}>
            {(reactions) => (
              <ReactionBar
                reactions={message.reactions}
                myId={myId}
                isMine={isMine}
                nameOf={props.nameOf}
                onToggle={reactions().onReact}
                onPickMore={reactions().onMore}
              />
            )}
          </Show>
          {hasNotes() && (
            <>
              <Show when={isEdited()}>
                <p class="px-1 text-xs text-fg-muted">(edited)</p>
              </Show>
              <Show when={message.pinnedBy}>
                {(pinnedBy) => (
                  <p class="px-1 text-xs text-fg-muted" data-testid="pinned-mark">
                    <span aria-hidden="true">📌 </span>Pinned by{' '}
                    {pinnedBy() === myId ? 'you' : props.nameOf(pinnedBy())}
                  </p>
                )}
              </Show>
            </>
          )}
        </div>
      </div>
    </>
  );
}

/** One of my messages on its way out: "Sending…", or why it failed with Retry and Discard. */
export function OutgoingRow(props: {
  message: OutgoingMessage;
  quote: JSX.Element | undefined;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
}) {
  return (
    <div class="mt-1 flex justify-end" data-state={props.message.state}>
      <div class="flex max-w-[85%] flex-col items-end sm:max-w-[75%]">
        {props.quote}
        <div
          class="whitespace-pre-wrap break-words rounded-2xl bg-accent/70 px-3.5 py-2 text-sm text-accent-contrast"
          data-testid="message"
        >
          <MessageText text={props.message.text} />
        </div>
        <Show when={props.message.state === 'failed'} fallback={<p class="px-1 text-xs text-fg-muted">Sending…</p>}>
          <p class="px-1 text-xs text-danger" role="alert">
            {props.message.failure ?? 'Not sent.'}{' '}
            <button type="button" class="underline" onClick={() => props.onRetry(props.message.clientMessageId)}>
              Retry
            </button>{' '}
            <button type="button" class="underline" onClick={() => props.onDiscard(props.message.clientMessageId)}>
              Discard
            </button>
          </p>
        </Show>
      </div>
    </div>
  );
}
