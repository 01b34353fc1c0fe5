/**
 * What bench/web.ts runs inside the page. `addInitScript` and `page.evaluate` send a function's source to the
 * browser, so each function here stands alone and uses nothing but the browser's globals. This package is typed
 * for Bun, not for the DOM: the few browser APIs used are declared below, for these functions only.
 */

interface PageElement {
  readonly textContent: string | null;
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  click(): void;
  querySelector(selector: string): PageElement | null;
}
interface PageDocument {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
/** What one function leaves on `window` for the bench to read later. */
interface BenchWindow {
  benchMarks?: ColdLoadMarks;
  benchLongTasks?: number[];
}
declare const document: PageDocument;
declare const window: BenchWindow;
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare const MutationObserver: new (
  callback: () => void,
) => { observe(target: PageDocument, options: { childList: boolean; subtree: boolean }): void };
declare const PerformanceObserver: new (
  callback: (list: { getEntries(): Array<{ duration: number }> }) => void,
) => { observe(options: { type: 'longtask'; buffered: boolean }): void };

/** Milliseconds from navigation start (the page's own clock). */
export interface ColdLoadMarks {
  listShown?: number;
  messagesRendered?: number;
}

/**
 * Before the app loads: opens the conversation called `conversationTitle` as soon as the list shows it, and
 * marks when that happened and when `messageCount` message bubbles were rendered.
 */
export function watchColdLoad(options: { conversationTitle: string; messageCount: number }) {
  const marks: ColdLoadMarks = {};
  window.benchMarks = marks;
  new MutationObserver(() => {
    if (marks.listShown === undefined) {
      const conversation = Array.from(document.querySelectorAll('[data-testid="conversation"]')).find((card) =>
        card.textContent?.includes(options.conversationTitle),
      );
      if (!conversation) return;
      marks.listShown = performance.now();
      conversation.click();
    }
    if (
      marks.messagesRendered === undefined &&
      document.querySelectorAll('[data-testid="message"]').length >= options.messageCount
    ) {
      marks.messagesRendered = performance.now();
    }
  }).observe(document, { childList: true, subtree: true });
}

/** The marks `watchColdLoad` made, once the messages are rendered. */
export const coldLoadMarks = () => (window.benchMarks?.messagesRendered === undefined ? undefined : window.benchMarks);

/** Before the app loads: records every long task; each phase below starts the record afresh. */
export function watchLongTasks() {
  const longTasks: number[] = [];
  window.benchLongTasks = longTasks;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

/** Scrolls to the top until the first message is there: every page of history, loaded one after another. */
export async function loadWholeHistory() {
  const list = document.querySelector('[data-testid="message-list"]');
  const longTasks = window.benchLongTasks;
  if (!list || !longTasks) throw new Error('no message list, or long tasks not watched');
  const nextFrame = () => new Promise((resolveFrame) => requestAnimationFrame(resolveFrame));
  const isLoading = () =>
    Array.from(document.querySelectorAll('[role="status"]')).some((status) =>
      status.textContent?.includes('Loading earlier messages'),
    );
  longTasks.length = 0;
  const startedAt = performance.now();
  let pages = 0;
  while (!(list.scrollTop === 0 && list.querySelector('li[data-seq="1"]'))) {
    list.scrollTop = 0;
    await nextFrame();
    if (isLoading()) pages++;
    while (isLoading()) await nextFrame();
    await nextFrame();
  }
  return { pages, seconds: (performance.now() - startedAt) / 1000, longTasks: [...longTasks] };
}

/** From the bottom to the top and back, a screenful per frame: the time between frames, and long tasks. */
export async function scrollThrough() {
  const list = document.querySelector('[data-testid="message-list"]');
  const longTasks = window.benchLongTasks;
  if (!list || !longTasks) throw new Error('no message list, or long tasks not watched');
  const nextFrame = () => new Promise<number>((resolveFrame) => requestAnimationFrame(resolveFrame));
  list.scrollTop = list.scrollHeight;
  await nextFrame();
  await nextFrame();
  longTasks.length = 0;
  const step = list.clientHeight;
  const frameGaps: number[] = [];
  let previous = await nextFrame();
  const frame = async () => {
    const now = await nextFrame();
    frameGaps.push(now - previous);
    previous = now;
  };
  while (list.scrollTop > 0) {
    list.scrollTop -= step;
    await frame();
  }
  while (list.scrollTop + list.clientHeight < list.scrollHeight - 1) {
    list.scrollTop += step;
    await frame();
  }
  await frame();
  return {
    frameGaps,
    longTasks: [...longTasks],
    scrollHeight: list.scrollHeight,
    renderedMessages: document.querySelectorAll('[data-testid="message"]').length,
    heapMb: (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize / 1e6,
  };
}
