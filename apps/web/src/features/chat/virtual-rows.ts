import { defaultRangeExtractor, type Range, type VirtualItem } from '@tanstack/virtual-core';
import { batch, createEffect, createMemo, on, untrack } from 'solid-js';
import { createElementVirtualizer } from '../../lib/element-virtualizer.ts';

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
/** Frames without a change to the rows' total height after which a view sent somewhere counts as settled. */
const SETTLED_AFTER_FRAMES = 3;
/** Frames a view is sent again at most (about two seconds): a row that never stops changing height cannot hold it. */
const SETTLE_FRAMES_MAX = 120;

/**
 * A long list's rows, virtualized: only those in and near the view are
 * rendered, so ten thousand scroll as smoothly as fifty. Rows are measured
 * once rendered; a page added above keeps what is on screen where it is, and
 * the row holding keyboard focus stays rendered while scrolled away from.
 * Where the view goes otherwise (the newest, a message) is the caller's.
 */
export function createVirtualRows<Row>(options: {
  rows: () => Row[];
  /** A row's identity, for its measured height and for the scroll anchor. */
  keyOf: (row: Row) => string;
  scroller: () => HTMLElement | undefined;
  /** Within this many pixels of the end counts as being at the end: rows added then are followed. */
  endThreshold: number;
  /** Whether rows added at the end are followed at all. */
  followsAppends: () => boolean;
  /** The rows in view changed, or were measured. */
  onChange: () => void;
}) {
  const { rows, keyOf, scroller } = options;

  // The row holding keyboard focus stays rendered while scrolled away from, so focus is not dropped onto the page.
  let focusedRow: Row | undefined;
  let focusedElement: HTMLElement | undefined;
  const withFocusedRow = (range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const focused = focusedRow ? rows().indexOf(focusedRow) : -1;
    return focused < 0 || indexes.includes(focused) ? indexes : [...indexes, focused].sort((a, b) => a - b);
  };

  // A row's key never changes: read untracked, it costs the row no signals.
  const keys = createMemo(() => {
    const current = rows();
    return untrack(() => current.map(keyOf));
  });
  const virtualizer = createElementVirtualizer<HTMLElement, HTMLElement>({
    get count() {
      return rows().length;
    },
    // A new function for every new list of rows: the virtualizer re-reads the keys only then. It asks for every key
    // after a row below the first changes size, so they are worked out once, not read from the store each time.
    get getItemKey() {
      const current = keys();
      return (index: number) => current[index] as string;
    },
    getScrollElement: () => scroller() ?? null,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN_ROWS,
    paddingStart: LIST_PADDING_PX,
    paddingEnd: LIST_PADDING_PX,
    rangeExtractor: withFocusedRow,
    // A page of older rows added above keeps the row at the top of the view where it is; a row
    // added at the end is followed only when the view is at the end.
    anchorTo: 'end',
    get followOnAppend() {
      return options.followsAppends();
    },
    scrollEndThreshold: options.endThreshold,
    onChange: () => options.onChange(),
  });
  // Keeping the rendered rows in order can take the focused one out of the page for a moment, which drops its
  // focus: noted before the rows change, and given back after.
  let wasFocused = false;
  // Rows rendered together are measured together, once all are in the page. One at a time, each measurement would
  // move the rows below it, and the next would have the page laid out again.
  const unmeasuredRows: HTMLElement[] = [];
  // Rows measured at least once. The virtualizer keeps only sizes that differ from the estimate, so it cannot tell.
  const measuredKeys = new Set<VirtualItem['key']>();
  const measureNewRows = () => {
    batch(() => {
      for (const row of unmeasuredRows.splice(0)) {
        if (!row.isConnected) continue;
        virtualizer.measureElement(row);
        const measured = keys()[virtualizer.indexFromElement(row)];
        if (measured !== undefined) measuredKeys.add(measured);
      }
    });
    // Rows measured at their estimate change nothing the virtualizer would report: their place is known now, though.
    options.onChange();
  };
  const renderedRows = createMemo((previous: Row[]) => {
    const current = rows();
    const currentKeys = keys();
    const items = virtualizer.getVirtualItems();
    // Read in the same update as a change to the rows, the virtual items may still describe the rows before it.
    // They follow within that update: until then, what is rendered stays.
    const isBehind = items.some((item) => currentKeys[item.index] !== item.key);
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

  // The oldest row has the day line and sender line no other row has. Once a row that was the oldest changes size
  // further down (the page before it arrived, perhaps after the list was replaced meanwhile), the change is at its
  // top: the scroll position takes it up so that what follows the row stays put. Other rows keep the virtualizer's
  // own rule: a change moves the scroll position only for a row wholly above the view (or, measured for the first
  // time, one that begins above it).
  const wereOldest = new Set<VirtualItem['key']>();
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) => {
    const viewTop = instance.scrollOffset ?? 0;
    if (item.index === 0) wereOldest.add(item.key);
    else if (wereOldest.delete(item.key)) return item.start < viewTop + (scroller()?.clientHeight ?? 0);
    return instance.itemSizeCache.has(item.key)
      ? item.end <= viewTop && instance.scrollDirection !== 'backward'
      : item.start < viewTop;
  };
  // An older page keeps the same row at the top of the view: the virtualizer moves the scroll position by what
  // was added above. The Solid adapter does that before the list has grown in the page, though, and the browser
  // stops the scroll short at the old bottom. Now the list has grown: the rest of the way.
  createEffect(
    on(
      () => rows()[0],
      (oldest, previousOldest) => {
        if (!oldest || !previousOldest || keyOf(oldest) === keyOf(previousOldest)) return;
        // Still here, further down: rows were added above it (not another list, which starts afresh).
        const previousKey = keyOf(previousOldest);
        if (!keys().includes(previousKey)) return;
        wereOldest.add(previousKey);
        const anchoredTop = virtualizer.scrollOffset;
        const element = scroller();
        if (element && anchoredTop !== null && Math.abs(element.scrollTop - anchoredTop) > 1) {
          element.scrollTop = anchoredTop;
        }
      },
      { defer: true },
    ),
  );

  // Sending the view somewhere (the newest, a message) lays it out at the rows' estimated heights: a long message or
  // a picture is many times the estimate. Until the total height holds, the view is sent there again each frame.
  let settling: { goThere: () => void; total: number; quietFrames: number; framesLeft: number } | undefined;
  const settleNextFrame = () =>
    requestAnimationFrame(() => {
      if (!settling) return;
      const total = virtualizer.getTotalSize();
      if (total !== settling.total) {
        settling.total = total;
        settling.quietFrames = 0;
        settling.goThere();
      } else settling.quietFrames++;
      settling.framesLeft--;
      if (settling.quietFrames >= SETTLED_AFTER_FRAMES || settling.framesLeft <= 0) settling = undefined;
      else settleNextFrame();
    });

  return {
    virtualizer,
    /** Sends the view somewhere now, and again as rows are measured, until it holds (or `stopSettling`). */
    settleAt(goThere: () => void) {
      const isRunning = settling !== undefined;
      settling = { goThere, total: virtualizer.getTotalSize(), quietFrames: 0, framesLeft: SETTLE_FRAMES_MAX };
      goThere();
      if (!isRunning) settleNextFrame();
    },
    /** The reader scrolls: the view is theirs. */
    stopSettling() {
      settling = undefined;
    },
    /** The rows to render, in order; `virtualizer.getVirtualItems()[position]` places each. */
    renderedRows,
    /** Measures a row once it is in the page, and again whenever its height changes. */
    measureWhenMounted(element: HTMLElement) {
      if (unmeasuredRows.push(element) === 1) queueMicrotask(measureNewRows);
    },
    /** Focus went to `element`, in the row `row`: that row stays rendered. */
    noteFocus(row: Row | undefined, element: HTMLElement) {
      if (row !== undefined) focusedRow = row;
      focusedElement = element;
    },
    /** Focus left the list. */
    forgetFocus() {
      focusedRow = undefined;
      focusedElement = undefined;
    },
    /** Whether the row with `key` has been rendered and measured: its place is known, not estimated. */
    isMeasured: (key: VirtualItem['key']) => measuredKeys.has(key),
  };
}
