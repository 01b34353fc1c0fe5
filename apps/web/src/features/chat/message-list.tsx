import type { ConversationKind, Member, MemberReceipt, MemberRole, Message, ReadPointers } from '@gopherchat/api';
import { createVirtualizer, defaultRangeExtractor, type Range, type VirtualItem } from '@tanstack/solid-virtual';
import { batch, createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { AttachmentContent } from '../attachments/attachment-content.tsx';
import { Lightbox } from '../attachments/lightbox.tsx';
import type { AttachmentStore } from '../attachments/store.ts';
import { plainTextOf, wordsOf } from './markdown.ts';
import { type MessageAction, MessageActions } from './message-actions.tsx';
import { MessageText } from './message-text.tsx';
import type { OutgoingMessage } from './outbox.ts';
import { canDelete, canEdit, canReplyTo } from './permissions.ts';
import { type Receipt, type ReceiptState, receiptOf } from './receipts.ts';
import { describeSystemEvent } from './system-events.ts';
import { continuesGroup, dayKey, excerpt, messageAt } from './timeline.ts';

/** Within this many pixels of the bottom counts as "reading the latest". */
const BOTTOM_SLACK_PX = 80;
/** Older history loads when the top comes this close. */
const TOP_PRELOAD_PX = 200;
/** Space above the first row and below the last, laid out by the virtualizer with the rows. */
const LIST_PADDING_PX = 16;
/**
 * A row's height until it is rendered and measured: one line following the
 * same sender's, the commonest row. A close guess keeps the scrollbar honest
 * and the corrections small.
 */
const ESTIMATED_ROW_PX = 38;
/** Rows rendered beyond each edge of the view, so that a quick scroll shows no blank space. */
const OVERSCAN_ROWS = 8;
/** How long a message shown from a reply's quote may take to be rendered before it is focused (about a second). */
const FOCUS_WAIT_FRAMES = 60;
/** Arrivals the screen-reader log keeps: each is read out once, as it is added. */
const ANNOUNCED_ARRIVALS = 5;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

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
    switch (replied.content.type) {
      case 'text':
      case 'attachment':
        return `${author}: ${excerpt(wordsOf(replied.content))}`;
      default:
        return `${author}: message deleted`;
    }
  };
  const quoteClass = 'mb-0.5 max-w-full truncate border-l-2 border-accent/60 px-2 text-left text-xs text-fg-muted';
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
          class={`${quoteClass} hover:text-fg`}
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

/** A loaded message, or one of mine still on its way out (those come after the loaded ones). */
type Row = Message | OutgoingMessage;
const isOutgoing = (row: Row): row is OutgoingMessage => 'state' in row;

/**
 * A conversation's messages, oldest at the top: day separators, consecutive
 * messages of one sender grouped, then what is still on its way out. Only the
 * rows in and near the view are rendered, so ten thousand loaded messages
 * scroll as smoothly as fifty. Scrolling near the top loads older pages
 * without moving what is on screen; a new message keeps the view at the
 * bottom only if the reader was already there, and another conversation
 * opens at its bottom. While the page is in front of the reader, `onSeen`
 * hears the newest message that has come on screen.
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
  /** Shared files: their links, and the lightbox that shows an image whole. */
  attachments: AttachmentStore;
}) {
  let scroller: HTMLDivElement | undefined;
  const [isAtBottom, setIsAtBottom] = createSignal(true);
  const nameOf = (userId: string) => (userId === props.myId ? 'You' : (props.names[userId] ?? 'Someone'));
  // Sent messages already in the timeline are not shown twice.
  const stillOutgoing = createMemo(() => {
    if (props.outgoing.length === 0) return props.outgoing;
    const arrived = new Set(props.messages.map((message) => message.clientMessageId));
    return props.outgoing.filter((message) => !arrived.has(message.clientMessageId));
  });
  const rows = createMemo((): Row[] => [...props.messages, ...stillOutgoing()]);
  /** A row's identity for its measured height and for the scroll anchor: a message of mine keeps the key it had on its way out. */
  const keyOf = (row: Row): string => {
    if (isOutgoing(row)) return row.clientMessageId;
    return row.senderId === props.myId && row.clientMessageId ? row.clientMessageId : row.id;
  };

  // Everyone else here, with how far they have got; empty until the members are known.
  const others = createMemo((): MemberReceipt[] =>
    Object.keys(props.members)
      .filter((userId) => userId !== props.myId)
      .map((userId) => ({ userId, ...(props.pointers[userId] ?? NOT_YET) })),
  );
  const hasMembers = () => Object.keys(props.members).length > 0;

  // The row holding keyboard focus stays rendered while scrolled away from, so focus is not dropped onto the page.
  let focusedRow: Row | undefined;
  let focusedElement: HTMLElement | undefined;
  const withFocusedRow = (range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const focused = focusedRow ? rows().indexOf(focusedRow) : -1;
    return focused < 0 || indexes.includes(focused) ? indexes : [...indexes, focused].sort((a, b) => a - b);
  };

  const virtualizer = createVirtualizer<HTMLDivElement, HTMLLIElement>({
    get count() {
      return rows().length;
    },
    // A new function for every new list of rows: the virtualizer re-reads the keys only then.
    get getItemKey() {
      const current = rows();
      return (index: number) => keyOf(current[index] as Row);
    },
    getScrollElement: () => scroller ?? null,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN_ROWS,
    paddingStart: LIST_PADDING_PX,
    paddingEnd: LIST_PADDING_PX,
    rangeExtractor: withFocusedRow,
    // A page of older messages added above keeps the row at the top of the view where it is; a row
    // added at the end is followed only when the reader is at the bottom.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: BOTTOM_SLACK_PX,
    // The rows in view changed: perhaps a newer message came on screen.
    onChange: () => reportSeen(),
  });
  // Keeping the rendered rows in order can take the focused one out of the page for a moment, which drops its
  // focus: noted before the rows change, and given back after.
  let wasFocused = false;
  // Rows rendered together are measured together, once all are in the page. One at a time, each measurement would
  // move the rows below it, and the next would have the page laid out again.
  const unmeasuredRows: HTMLLIElement[] = [];
  const measureNewRows = () =>
    batch(() => {
      for (const row of unmeasuredRows.splice(0)) virtualizer.measureElement(row);
    });
  const renderedRows = createMemo((previous: Row[]) => {
    const current = rows();
    const items = virtualizer.getVirtualItems();
    // Read in the same update as a change to the rows, the virtual items may still describe the rows before it.
    // They follow within that update: until then, what is rendered stays.
    const isBehind = items.some((item) => {
      const row = current[item.index];
      return row === undefined || keyOf(row) !== item.key;
    });
    if (isBehind) return previous;
    wasFocused = focusedElement !== undefined && document.activeElement === focusedElement;
    return items.map((item) => current[item.index] as Row);
  }, []);
  createEffect(
    on(renderedRows, () => {
      if (wasFocused && focusedElement?.isConnected && document.activeElement !== focusedElement) {
        focusedElement.focus({ preventScroll: true });
      }
    }),
  );

  const reportSeen = () => {
    if (document.visibilityState !== 'visible' || !document.hasFocus()) return;
    // The row across the bottom edge of the view, whose top has come on screen. O(1): no DOM is read.
    const newestInView = virtualizer.range?.endIndex;
    if (newestInView === undefined) return;
    // Rows past the loaded messages are mine on their way out: the newest loaded one is what was seen.
    const seen = props.messages[Math.min(newestInView, props.messages.length - 1)];
    if (seen) props.onSeen(seen.seq);
  };
  // Coming back to the page counts as seeing what is on screen.
  window.addEventListener('focus', reportSeen);
  document.addEventListener('visibilitychange', reportSeen);
  onCleanup(() => {
    window.removeEventListener('focus', reportSeen);
    document.removeEventListener('visibilitychange', reportSeen);
  });

  // The list is no live region (rows come and go as it scrolls): messages from others are announced here, once each.
  const [arrivals, setArrivals] = createSignal<Array<{ seq: number; words: string }>>([]);
  const announce = (message: Message) => {
    const sender = nameOf(message.senderId ?? '');
    const words =
      message.content.type === 'text'
        ? `${sender}: ${wordsOf(message.content)}`
        : message.content.type === 'attachment'
          ? `${sender} shared ${message.content.attachment.fileName}${message.content.caption ? `: ${plainTextOf(message.content.caption)}` : ''}`
          : message.content.type === 'system'
            ? describeSystemEvent(message.content.event, props.myId, nameOf)
            : undefined;
    if (words) setArrivals((recent) => [...recent.slice(1 - ANNOUNCED_ARRIVALS), { seq: message.seq, words }]);
  };

  createEffect(
    on(
      () => props.conversationId,
      () => {
        setArrivals([]);
        setIsAtBottom(true);
        virtualizer.scrollToEnd();
      },
    ),
  );
  createEffect(
    on(
      () => props.messages.at(-1),
      (newest, previous) => {
        // A short conversation does not scroll: what arrived may be on screen already.
        reportSeen();
        const hasArrived =
          newest && previous && newest.conversationId === previous.conversationId && newest.seq > previous.seq;
        if (hasArrived && newest.senderId !== props.myId) announce(newest);
      },
      { defer: true },
    ),
  );

  // The oldest row has the day line and sender line no other row has. Once a row that was the oldest changes size
  // further down (the page before it arrived, perhaps after the list was replaced meanwhile), the change is at its
  // top: the scroll position takes it up so that what follows the row stays put. Other rows keep the virtualizer's
  // own rule: a change moves the scroll position only for a row wholly above the view (or, measured for the first
  // time, one that begins above it).
  const wereOldest = new Set<VirtualItem['key']>();
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) => {
    const viewTop = instance.scrollOffset ?? 0;
    if (item.index === 0) wereOldest.add(item.key);
    else if (wereOldest.delete(item.key)) return item.start < viewTop + (scroller?.clientHeight ?? 0);
    return instance.itemSizeCache.has(item.key)
      ? item.end <= viewTop && instance.scrollDirection !== 'backward'
      : item.start < viewTop;
  };
  // An older page keeps the same message at the top of the view: the virtualizer moves the scroll position by what
  // was added above. The Solid adapter does that before the list has grown in the page, though, and the browser
  // stops the scroll short at the old bottom. Now the list has grown: the rest of the way.
  createEffect(
    on(
      () => props.messages[0],
      (oldest, previousOldest) => {
        const isOlderPage =
          oldest &&
          previousOldest &&
          oldest.conversationId === previousOldest.conversationId &&
          oldest.seq < previousOldest.seq;
        if (!isOlderPage) return;
        wereOldest.add(keyOf(previousOldest));
        const anchoredTop = virtualizer.scrollOffset;
        if (scroller && anchoredTop !== null && Math.abs(scroller.scrollTop - anchoredTop) > 1) {
          scroller.scrollTop = anchoredTop;
        }
      },
      { defer: true },
    ),
  );

  const onScroll = () => {
    if (!scroller) return;
    setIsAtBottom(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < BOTTOM_SLACK_PX);
    if (scroller.scrollTop < TOP_PRELOAD_PX && props.hasOlder && !props.isLoadingOlder) props.onLoadOlder();
  };

  const bubbleAt = (seq: number) =>
    scroller?.querySelector<HTMLElement>(`li[data-seq="${seq}"] [data-testid="message"]`) ?? undefined;
  /** Focuses a message's bubble as soon as it is rendered, which may take the scroll a few frames. */
  const focusWhenRendered = (seq: number, framesLeft = FOCUS_WAIT_FRAMES) => {
    const bubble = bubbleAt(seq);
    if (bubble) bubble.focus({ preventScroll: true });
    else if (framesLeft > 0) requestAnimationFrame(() => focusWhenRendered(seq, framesLeft - 1));
  };
  /** Brings a loaded message into view and focus (which outlines it), e.g. from a reply's quote. */
  const showMessageAt = (seq: number) => {
    const message = messageAt(props.messages, seq);
    if (!message) return;
    // Gliding is for a message already near; one further off is jumped to, not scrolled past row by row.
    const isNear = bubbleAt(seq) !== undefined;
    virtualizer.scrollToIndex(props.messages.indexOf(message), {
      align: 'center',
      behavior: isNear ? 'smooth' : 'auto',
    });
    focusWhenRendered(seq);
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

  const loadedRow = (message: Message, index: () => number) => {
    const previous = () => props.messages[index() - 1];
    const isNewDay = createMemo(() => !previous() || dayKey(previous()?.createdAt ?? '') !== dayKey(message.createdAt));
    const isContinued = createMemo(() => !isNewDay() && continuesGroup(previous(), message));
    const isMine = () => message.senderId === props.myId;
    const receipt = createMemo(() => (isMine() && hasMembers() ? receiptOf(message.seq, others()) : undefined));
    const actions = () => actionsOn(message);
    return (
      <>
        <Show when={isNewDay()}>
          <p class="my-4 text-center text-xs font-medium text-fg-muted">
            {dayFormat.format(new Date(message.createdAt))}
          </p>
        </Show>
        <Show
          when={message.content.type !== 'system'}
          fallback={
            <p class="my-2 text-center text-xs text-fg-muted">
              {message.content.type === 'system' ? describeSystemEvent(message.content.event, props.myId, nameOf) : ''}
            </p>
          }
        >
          <div class={`group flex ${isMine() ? 'justify-end' : 'justify-start'} ${isContinued() ? 'mt-0.5' : 'mt-3'}`}>
            <div class={`max-w-[75%] ${isMine() ? 'items-end' : 'items-start'} flex flex-col`}>
              <Show when={!isContinued()}>
                <p class="mb-1 px-1 text-xs text-fg-muted">
                  <span class="font-medium text-fg">{nameOf(message.senderId ?? '')}</span>{' '}
                  {timeFormat.format(new Date(message.createdAt))}
                </p>
              </Show>
              {quoteOf(message.replyToSeq)}
              <div class="flex max-w-full items-end gap-1.5">
                <Show when={receipt()}>
                  {(mark) => <ReceiptMark receipt={mark()} isGroup={props.kind === 'group'} nameOf={nameOf} />}
                </Show>
                <div
                  class={`min-w-0 whitespace-pre-wrap break-words rounded-2xl ${message.content.type === 'attachment' ? 'p-1' : 'px-3.5 py-2'} text-sm focus:outline focus:outline-2 focus:outline-offset-2 focus:outline-accent ${
                    isMine() ? 'bg-accent text-accent-contrast' : 'bg-surface-sunken text-fg'
                  }`}
                  data-testid="message"
                  data-receipt={receipt()?.state}
                  // Focused by a reply's quote, to show where the replied message is.
                  tabIndex={-1}
                >
                  {message.content.type === 'text' ? (
                    <MessageText text={message.content.text} />
                  ) : message.content.type === 'attachment' ? (
                    <AttachmentContent
                      attachment={message.content.attachment}
                      caption={message.content.caption}
                      isMine={isMine()}
                      store={props.attachments}
                    />
                  ) : (
                    <em class="opacity-70">This message was deleted.</em>
                  )}
                </div>
                <Show when={actions().length > 0}>
                  <MessageActions actions={actions()} isMine={isMine()} />
                </Show>
              </div>
              <Show when={message.editedAt && message.content.type === 'text'}>
                <p class="px-1 text-xs text-fg-muted">(edited)</p>
              </Show>
            </div>
          </div>
        </Show>
      </>
    );
  };

  const outgoingRow = (message: OutgoingMessage) => (
    <div class="mt-1 flex justify-end" data-state={message.state}>
      <div class="max-w-[75%] flex flex-col items-end">
        {quoteOf(message.replyToSeq)}
        <div
          class="whitespace-pre-wrap break-words rounded-2xl bg-accent/70 px-3.5 py-2 text-sm text-accent-contrast"
          data-testid="message"
        >
          <MessageText text={message.text} />
        </div>
        <Show when={message.state === 'failed'} fallback={<p class="px-1 text-xs text-fg-muted">Sending…</p>}>
          <p class="px-1 text-xs text-danger" role="alert">
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
    </div>
  );

  return (
    <div class="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        onFocusIn={(event) => {
          focusedElement = event.target as HTMLElement;
        }}
        onFocusOut={(event) => {
          if (event.relatedTarget instanceof Node && !scroller?.contains(event.relatedTarget)) {
            focusedRow = undefined;
            focusedElement = undefined;
          }
        }}
        // The virtualizer keeps the view steady itself; the browser's own scroll anchoring would correct twice.
        class="h-full overflow-y-auto px-4 [overflow-anchor:none] sm:px-6"
        data-testid="message-list"
        role="log"
        // Silent: rendered rows change as the list scrolls. Arrivals are announced by the log below.
        aria-live="off"
        aria-label="Messages"
      >
        <ol class="relative" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          <For each={renderedRows()}>
            {(row, position) => {
              const item = () => virtualizer.getVirtualItems()[position()];
              const index = () => item()?.index ?? 0;
              let element: HTMLLIElement | undefined;
              // Measured once rendered, and again whenever its height changes (receipts, edits, a wider window).
              onMount(() => {
                if (element && unmeasuredRows.push(element) === 1) queueMicrotask(measureNewRows);
              });
              return (
                <li
                  ref={element}
                  class="absolute left-0 w-full"
                  style={{ top: `${item()?.start ?? 0}px` }}
                  data-index={index()}
                  data-seq={isOutgoing(row) ? undefined : row.seq}
                  onFocusIn={() => {
                    focusedRow = row;
                  }}
                >
                  {isOutgoing(row) ? outgoingRow(row) : loadedRow(row, index)}
                </li>
              );
            }}
          </For>
        </ol>
      </div>
      <div class="sr-only" role="log" aria-live="polite" aria-label="New messages">
        <For each={arrivals()}>{(arrival) => <p>{arrival.words}</p>}</For>
      </div>
      <Show when={props.hasOlder}>
        <p
          class={`pointer-events-none absolute left-1/2 top-2 -translate-x-1/2 rounded-full px-3 py-1 text-xs text-fg-muted ${
            props.isLoadingOlder ? 'bg-surface-raised/90 shadow-sm' : ''
          }`}
          role="status"
        >
          {props.isLoadingOlder ? 'Loading earlier messages…' : ''}
        </p>
      </Show>
      <Show when={!isAtBottom()}>
        <button
          type="button"
          class="btn-primary absolute bottom-4 right-6 shadow-lg"
          onClick={() => {
            virtualizer.scrollToEnd();
            setIsAtBottom(true);
          }}
        >
          Jump to latest
        </button>
      </Show>
      <Lightbox store={props.attachments} />
    </div>
  );
}
