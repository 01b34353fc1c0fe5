import type { ConversationKind, Member, MemberReceipt, MemberRole, Message, ReadPointers } from '@gopherchat/api';
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, untrack } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { Lightbox } from '../attachments/lightbox.tsx';
import type { AttachmentStore } from '../attachments/store.ts';
import { describeArrival } from './arrivals.ts';
import { createArrivalsLog } from './arrivals-log.tsx';
import { createMessageMenu } from './message-menu.ts';
import { MessageRow, OutgoingRow, ReplyQuote } from './message-row.tsx';
import { createMessageSeeking } from './message-seeking.ts';
import type { OutgoingMessage } from './outbox.ts';
import { receiptOf } from './receipts.ts';
import { AT_NEWEST, jumpLabelOf, type ScrollEvent, type ScrollState, transition } from './scroll-policy.ts';
import { messageAt } from './timeline.ts';
import { createVirtualRows } from './virtual-rows.ts';

/** Within this many pixels of the bottom counts as "reading the latest". */
const BOTTOM_SLACK_PX = 80;
/** Older history loads when the top comes this close. */
const TOP_PRELOAD_PX = 200;
/** How long a message shown from a reply's quote may take to be rendered before it is focused (about a second). */
const FOCUS_WAIT_FRAMES = 60;

const NOT_YET: ReadPointers = { lastDeliveredSeq: 0, lastReadSeq: 0 };

/** A loaded message, or one of mine still on its way out (those come after the loaded ones). */
type Row = Message | OutgoingMessage;
const isOutgoing = (row: Row): row is OutgoingMessage => 'state' in row;

/**
 * A conversation's messages, oldest at the top: day separators, consecutive
 * messages of one sender grouped, then what is still on its way out. Only the
 * rows in and near the view are rendered, so ten thousand loaded messages
 * scroll as smoothly as fifty. Scrolling near the top loads older pages
 * without moving what is on screen. Where the view goes as a conversation
 * opens and messages come in follows the rules of `scroll-policy.ts`. While
 * the page is in front of the reader, `onSeen` hears the newest message that
 * has come on screen.
 */
export function MessageList(props: {
  conversationId: string;
  kind: ConversationKind;
  myId: string;
  myRole: MemberRole;
  messages: Message[];
  /** The message the address names (`/c/:id/m/:seq`): shown in context, loaded back to if need be. */
  linkedSeq: number | undefined;
  /** How far I had read when the conversation opened: the first unread message after it opens the view. */
  readUpTo: number;
  /** The messages are the server's (or the best there is while offline): the conversation can be placed. */
  hasCurrentMessages: boolean;
  outgoing: OutgoingMessage[];
  members: Record<string, Member>;
  /** Display names by user id, former members included. */
  names: Record<string, string>;
  /** Pictures by user id, of those looked up: beside others' messages in a group. */
  avatars: Record<string, string | null>;
  pointers: Record<string, ReadPointers>;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  onLoadOlder: () => void;
  /** The loaded messages are a window further back: newer ones load as it is scrolled to its end. */
  hasNewer: boolean;
  isLoadingNewer: boolean;
  onLoadNewer: () => void;
  /** Puts the newest messages in place of a window further back; resolves once they are there. */
  onShowNewest: () => Promise<void>;
  /** Loads the messages around `seq` in place of those loaded (a link to a message far back). */
  onOpenAround: (seq: number) => void;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
  onSeen: (seq: number) => void;
  onCopyLink: (seq: number) => void;
  /** Copies a message's text as written. */
  onCopyText: (text: string) => void;
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
  onDelete: (message: Message) => void;
  onPin: (message: Message, isPinning: boolean) => void;
  /** Whether I saved a message, and saving it (or taking it off my saved list). */
  isSaved: (seq: number) => boolean;
  onSave: (message: Message, isSaving: boolean) => void;
  /** Takes the link preview off a message of mine. */
  onRemovePreview: (seq: number) => void;
  /** Asks where to send a copy of the message. */
  onForward: (message: Message) => void;
  /** Adds my reaction to a message, or takes it back. */
  onToggleReaction: (message: Message, emoji: string) => void;
  /** Opens the emoji picker beside `anchor` to react to a message. */
  onPickReaction: (message: Message, anchor: HTMLElement) => void;
  /** What the quick reactions offer: my recent emoji. */
  recentEmoji: readonly string[];
  /** Shared files: their links, and the lightbox that shows an image whole. */
  attachments: AttachmentStore;
}) {
  let scroller: HTMLDivElement | undefined;
  const [scroll, setScroll] = createSignal<ScrollState>(AT_NEWEST);
  /** The conversation whose view has been placed (at its first unread, or its newest): until then nothing is seen. */
  let placedIn: string | undefined;
  // Tells the link below that a conversation was placed: it may have run before, in the same change of address.
  const [placedCount, setPlacedCount] = createSignal(0);
  const nameOf = (userId: string) => (userId === props.myId ? 'You' : (props.names[userId] ?? 'Someone'));
  // Sent messages already in the timeline are not shown twice.
  const stillOutgoing = createMemo(() => {
    if (props.outgoing.length === 0) return props.outgoing;
    const arrived = new Set(props.messages.map((message) => message.clientMessageId));
    return props.outgoing.filter((message) => !arrived.has(message.clientMessageId));
  });
  // Copied untracked: read in the memo, every loaded message's place in the store's list would get a signal of its
  // own, kept while it is loaded. A change to the list replaces it whole (`mergeMessages`), or a message in place.
  const rows = createMemo((): Row[] => {
    const { messages } = props;
    const outgoing = stillOutgoing();
    return untrack(() => [...messages, ...outgoing]);
  });
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

  const { virtualizer, renderedRows, measureWhenMounted, noteFocus, forgetFocus, isMeasured, settleAt, stopSettling } =
    createVirtualRows({
      rows,
      keyOf,
      scroller: () => scroller,
      endThreshold: BOTTOM_SLACK_PX,
      // At the end of a window further back, what is added is the next page of it, not news to follow.
      followsAppends: () => !props.hasNewer,
      // The rows in view changed: perhaps a newer message came on screen.
      onChange: () => reportSeen(),
    });

  const reportSeen = () => {
    if (placedIn !== props.conversationId) return;
    if (document.visibilityState !== 'visible' || !document.hasFocus()) return;
    // The newest rendered row whose top has come on screen. Only measured rows count: below a long message, rows
    // still at their estimated height would seem to be in view when they are not. No DOM is read: this runs after
    // every measurement, and the list's clientHeight would have the page laid out again each time. The
    // virtualizer keeps the view's height itself.
    const viewBottom = (virtualizer.scrollOffset ?? 0) + (virtualizer.scrollRect?.height ?? 0);
    let newestInView: number | undefined;
    for (const item of virtualizer.getVirtualItems()) {
      if (item.start < viewBottom && isMeasured(item.key)) newestInView = item.index;
    }
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

  const arrivals = createArrivalsLog();

  const scrollToMessage = (seq: number) => {
    const message = messageAt(props.messages, seq);
    if (message) virtualizer.scrollToIndex(props.messages.indexOf(message), { align: 'start' });
  };
  const dispatch = (event: ScrollEvent) => {
    const { state, effects } = transition(scroll(), event);
    setScroll(state);
    for (const effect of effects) {
      settleAt(effect.type === 'scroll-to-end' ? () => virtualizer.scrollToEnd() : () => scrollToMessage(effect.seq));
    }
  };

  // Another conversation: shown at its newest until its messages are in, then placed once.
  const isReady = createMemo(() => props.hasCurrentMessages && props.messages.length > 0);
  createEffect(
    on([() => props.conversationId, isReady], ([conversationId, ready], previous) => {
      if (conversationId !== previous?.[0]) {
        arrivals.clear();
        setScroll(AT_NEWEST);
        placedIn = undefined;
        if (!ready) settleAt(() => virtualizer.scrollToEnd());
      }
      if (!ready || placedIn === conversationId) return;
      placedIn = conversationId;
      setPlacedCount((count) => count + 1);
      dispatch({ type: 'opened', messages: props.messages, readUpTo: props.readUpTo, myId: props.myId });
      // A conversation too short to scroll sends no scroll event: what is on screen is seen now, and once placed, the
      // view is at the newest (so no pill offers to go there).
      reportSeen();
      requestAnimationFrame(onScroll);
    }),
  );
  createEffect(
    on(
      [() => props.messages.at(-1), () => props.hasNewer] as const,
      ([newest, hasNewer], previousChange) => {
        // A short conversation does not scroll: what arrived may be on screen already.
        reportSeen();
        const [previous, hadNewer] = previousChange ?? [];
        // Added to a window further back, or in place of it: loaded history, not arrivals.
        if (hasNewer || hadNewer) return;
        const hasArrived =
          newest && previous && newest.conversationId === previous.conversationId && newest.seq > previous.seq;
        if (!hasArrived || placedIn !== newest.conversationId) return;
        if (newest.senderId !== props.myId) arrivals.announce(newest.seq, describeArrival(newest, props.myId, nameOf));
        const firstAdded = props.messages.findLastIndex((message) => message.seq <= previous.seq) + 1;
        dispatch({ type: 'appended', messages: props.messages.slice(firstAdded), myId: props.myId });
      },
      { defer: true },
    ),
  );
  // One of mine set off: it shows at the end, and the view goes there, however far up I was.
  createEffect(
    on([() => props.conversationId, () => props.outgoing.length], ([conversationId, count], previous) => {
      if (!previous || conversationId !== previous[0] || count <= previous[1]) return;
      // From a window further back, the newest messages come first: mine goes after them.
      if (props.hasNewer) void props.onShowNewest().then(() => dispatch({ type: 'sent' }));
      else dispatch({ type: 'sent' });
    }),
  );

  const onScroll = () => {
    if (!scroller) return;
    const belowView = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
    // The end of a window further back is not the newest.
    dispatch({ type: 'scrolled', isAtBottom: belowView < BOTTOM_SLACK_PX && !props.hasNewer });
    if (scroller.scrollTop < TOP_PRELOAD_PX && props.hasOlder && !props.isLoadingOlder) props.onLoadOlder();
    if (belowView < TOP_PRELOAD_PX && props.hasNewer && !props.isLoadingNewer) props.onLoadNewer();
  };

  const bubbleAt = (seq: number) =>
    scroller?.querySelector<HTMLElement>(`li[data-seq="${seq}"] [data-testid="message"]`) ?? undefined;
  /** Focuses a message's bubble as soon as it is rendered, which may take the scroll a few frames. */
  const focusWhenRendered = (seq: number, framesLeft = FOCUS_WAIT_FRAMES) => {
    const bubble = bubbleAt(seq);
    if (bubble) bubble.focus({ preventScroll: true });
    else if (framesLeft > 0) requestAnimationFrame(() => focusWhenRendered(seq, framesLeft - 1));
  };
  /** Brings a loaded message into view and focus (which outlines it), e.g. from a reply's quote or a link. */
  const showMessageAt = (seq: number) => {
    const message = messageAt(props.messages, seq);
    if (!message) return;
    const index = props.messages.indexOf(message);
    // Gliding is for a message already near; one further off is jumped to, not scrolled past row by row, and
    // jumped to again as the rows on the way are measured.
    if (bubbleAt(seq)) virtualizer.scrollToIndex(index, { align: 'center', behavior: 'smooth' });
    else settleAt(() => virtualizer.scrollToIndex(index, { align: 'center' }));
    // From the next frame: a conversation just opened focuses its composer as it mounts, after this.
    requestAnimationFrame(() => focusWhenRendered(seq));
  };

  const seeking = createMessageSeeking({
    conversationId: () => props.conversationId,
    linkedSeq: () => props.linkedSeq,
    messages: () => props.messages,
    isSettled: () => {
      // Placed again (another visit of the same conversation) counts as a change too.
      placedCount();
      return isReady() && placedIn === props.conversationId && !props.isLoadingNewer;
    },
    openAround: (seq) => props.onOpenAround(seq),
    show: showMessageAt,
  });

  const quoteOf = (replyToSeq: number | null | undefined) =>
    replyToSeq ? (
      <ReplyQuote
        replied={messageAt(props.messages, replyToSeq)}
        nameOf={nameOf}
        onShow={() => seeking.seek(replyToSeq)}
      />
    ) : undefined;

  const { actionsOn, reactionsOn } = createMessageMenu(props);
  // Every row asks whether the divider is above it: asked of this, they are not asked again with each scroll.
  const dividerSeq = createMemo(() => scroll().dividerSeq);

  // A row's kind, seq, sender and reply are fixed for its life. Read untracked from the plain object, as here, they
  // cost it no signals: read through the store in a tracked scope, each would add one to every message ever
  // rendered, kept while it is loaded, for the garbage collector to go over while the list scrolls.
  const outgoingRow = (row: OutgoingMessage) => (
    <OutgoingRow
      message={row}
      quote={quoteOf(unwrap(row).replyToSeq)}
      onRetry={props.onRetry}
      onDiscard={props.onDiscard}
    />
  );
  const messageRow = (row: Message, index: () => number) => {
    const fixed = unwrap(row);
    return (
      <MessageRow
        message={row}
        previous={rows()[index() - 1] as Message | undefined}
        myId={props.myId}
        isGroup={props.kind === 'group'}
        isFirstUnread={fixed.seq === dividerSeq()}
        receipt={fixed.senderId === props.myId && hasMembers() ? receiptOf(fixed.seq, others()) : undefined}
        actions={actionsOn(row)}
        reactions={reactionsOn(row)}
        quote={quoteOf(fixed.replyToSeq)}
        nameOf={nameOf}
        avatarOf={(userId) => props.avatars[userId]}
        attachments={props.attachments}
        onRemovePreview={() => props.onRemovePreview(fixed.seq)}
      />
    );
  };

  return (
    <div class="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        // The reader's own scrolling: a view still being sent somewhere is theirs.
        onWheel={stopSettling}
        onTouchStart={stopSettling}
        onKeyDown={stopSettling}
        onPointerDown={stopSettling}
        onFocusOut={(event) => {
          if (event.relatedTarget instanceof Node && !scroller?.contains(event.relatedTarget)) forgetFocus();
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
              // Fixed for the row's life: read here, untracked, they cost it no signals.
              const fixed = unwrap(row);
              const content = isOutgoing(row) ? outgoingRow(row) : messageRow(row, index);
              let element: HTMLLIElement | undefined;
              // Measured once rendered, and again whenever its height changes (receipts, edits, a wider window).
              onMount(() => element && measureWhenMounted(element));
              return (
                <li
                  ref={element}
                  class="absolute left-0 w-full"
                  style={{ top: `${item()?.start ?? 0}px` }}
                  data-index={index()}
                  data-seq={isOutgoing(fixed) ? undefined : fixed.seq}
                  onFocusIn={(event) => noteFocus(row, event.target as HTMLElement)}
                >
                  {content}
                </li>
              );
            }}
          </For>
        </ol>
      </div>
      <arrivals.Log />
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
      <Show when={jumpLabelOf(scroll()) ?? (props.hasNewer ? 'Jump to latest' : undefined)}>
        {(label) => (
          <button
            type="button"
            class="btn-primary absolute bottom-4 left-1/2 -translate-x-1/2 rounded-full shadow-lg"
            data-testid="jump-to-latest"
            onClick={() => {
              if (props.hasNewer) void props.onShowNewest().then(() => dispatch({ type: 'jumped-to-latest' }));
              else dispatch({ type: 'jumped-to-latest' });
            }}
          >
            {label()}
            <span aria-hidden="true">↓</span>
          </button>
        )}
      </Show>
      <Lightbox store={props.attachments} />
    </div>
  );
}
