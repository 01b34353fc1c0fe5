/**
 * The web client's budget, measured in Debian's Chromium against a real
 * server process (PGlite in a fresh data directory) serving the production
 * build:
 *
 * - the JavaScript a cold load of the signed-in app fetches, each file
 *   gzipped at level 9 (budget ≤ 80 KB);
 * - a cold load (new browser context, empty cache, signed in by its cookie)
 *   until 50 messages of a conversation are rendered, measured in the page
 *   from navigation start (budget < 1 s, median of `--loads`);
 * - `--messages` loaded messages (one in a hundred a photo, one in five with
 *   reactions) scrolled from the bottom to the top and back,
 *   a screenful per frame, while a `longtask` PerformanceObserver listens
 *   (budget: no task over 50 ms). Loading them, page by page, is reported
 *   apart.
 *
 *   bun run bench:web -- [--loads 5] [--messages 10000] [--photo-every 100] [--reaction-every 5]
 *     [--trace scroll.json] [--heap-snapshot after-scroll.heapsnapshot] [--allocations scroll.heapprofile]
 *
 * PROFILE_BUILD=1 builds the app unminified, so that a trace names functions as the source does.
 *
 * Prints a Markdown table on stderr and one JSON line of the figures on stdout.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { GopherClient } from '@gopherchat/sdk';
import {
  CHROMIUM_ARGS,
  loadTestServices,
  signUpClient,
  spawnServer,
  TEST_PASSWORD,
  testPhoto,
  uploadFile,
} from '@gopherchat/server/testing';
import { type Browser, chromium, type ViewportSize } from 'playwright-core';
import { percentile, round } from './stats.ts';
import { coldLoadMarks, loadWholeHistory, scrollThrough, watchColdLoad, watchLongTasks } from './web-page.ts';

/** Chromium's running totals of the main thread's task and script time (`Performance.getMetrics`), in seconds. */
function mainThreadBusy(metrics: { name: string; value: number }[]) {
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? Number.NaN;
  return { taskSeconds: metric('TaskDuration'), scriptSeconds: metric('ScriptDuration') };
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    loads: { type: 'string', default: '5' },
    messages: { type: 'string', default: '10000' },
    /** One message in this many of the long history is a photo; 0: none. */
    'photo-every': { type: 'string', default: '100' },
    /** One message in this many gets a reaction, one in twice as many two; 0: none. */
    'reaction-every': { type: 'string', default: '5' },
    /** Writes a Chromium performance trace of the scroll to this file (for DevTools' Performance panel). */
    trace: { type: 'string' },
    /** Writes a heap snapshot taken after the scroll to this file. */
    'heap-snapshot': { type: 'string' },
    /** Writes a sampling profile of what the scroll allocates to this file (DevTools' Memory panel reads it). */
    allocations: { type: 'string' },
  },
});
const coldLoads = Number(values.loads);
const longConversationSize = Number(values.messages);
const photoEvery = Number(values['photo-every']);
const reactionEvery = Number(values['reaction-every']);

const REPO_ROOT = resolve(import.meta.dir, '..');
const WEB_DIST_DIR = join(REPO_ROOT, 'apps/web/dist');
const BUDGET = { initialJsKb: 80, coldRenderMs: 1000, longTaskMs: 50 };
/** Messages the cold load waits for: one history page. */
const FIRST_PAGE = 50;
/** Sends in flight while seeding; the server commits concurrent sends together. */
const SEED_CONCURRENCY = 32;
/** Tall enough for a whole page of messages to be on screen (and so rendered) at once. */
const TALL_VIEWPORT = { width: 1280, height: 2600 };

/**
 * Sends `count` messages to a conversation, alternating between two people every few messages, with a
 * longer one now and then, so rows vary the way a real conversation's do: grouped or not, one line or several.
 */
async function seedConversation(
  conversationId: string,
  people: [GopherClient, GopherClient],
  count: number,
  photoIds: readonly string[] = [],
) {
  let next = 0;
  const sendNext = async () => {
    for (let index = next++; index < count; index = next++) {
      const photoId =
        photoEvery > 0 && index % photoEvery === photoEvery - 1 ? photoIds[Math.floor(index / photoEvery)] : undefined;
      // A photo is shared by whoever uploaded it: the first person.
      const sender = (photoId ? people[0] : people[Math.floor(index / 4) % 2]) as GopherClient;
      const text =
        index % 9 === 0
          ? `Message ${index}: a longer one, long enough to wrap onto a second and perhaps a third line in the list, the way a real answer to a real question often does.`
          : `Message ${index}`;
      const { seq } = await sender.api.messages.send.mutate({
        conversationId,
        clientMessageId: `${conversationId}-${index}`,
        content: photoId ? { type: 'attachment', attachmentId: photoId } : { type: 'text', text },
      });
      // Reactions from one or both people.
      if (reactionEvery === 0) continue;
      if (index % reactionEvery === 0) await sender.api.messages.react.mutate({ conversationId, seq, emoji: '👍' });
      if (index % (reactionEvery * 2) === 0) {
        const other = people[(Math.floor(index / 4) + 1) % 2] as GopherClient;
        await other.api.messages.react.mutate({ conversationId, seq, emoji: '🎉' });
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, sendNext));
}

/** `count` photos uploaded and confirmed by `uploader`, ready for them to share. */
async function uploadPhotos(uploader: GopherClient, count: number): Promise<string[]> {
  const photo = await testPhoto(640, 480);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = await uploadFile(uploader.api, photo, { contentType: 'image/jpeg', fileName: `photo-${index}.jpg` });
    await uploader.api.attachments.confirm.mutate({ attachmentId: id });
    ids.push(id);
  }
  return ids;
}

/**
 * A new browser context (empty cache) signed in as `username` the way the app's own form does it, with the
 * refresh cookie, but from outside the page so that nothing is cached. Each gets its own session: a refresh
 * cookie shared between contexts would be replayed after rotation, which revokes the session.
 */
async function signedInContext(browser: Browser, baseUrl: URL, username: string, viewport: ViewportSize) {
  const context = await browser.newContext({ viewport });
  const signIn = await context.request.post(new URL('/trpc/auth.login', baseUrl).href, {
    data: { login: username, password: TEST_PASSWORD },
  });
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()} ${await signIn.text()}`);
  return Object.assign(context, { [Symbol.asyncDispose]: () => context.close() });
}

async function coldLoad(browser: Browser, baseUrl: URL, username: string, conversationTitle: string) {
  await using context = await signedInContext(browser, baseUrl, username, TALL_VIEWPORT);
  const page = await context.newPage();
  await page.addInitScript(watchColdLoad, { conversationTitle, messageCount: FIRST_PAGE });
  const scripts: Array<{ name: string; gzipBytes: number }> = [];
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.endsWith('.js')) return;
    void response.body().then((body) => {
      scripts.push({
        name: new URL(response.url()).pathname,
        gzipBytes: Bun.gzipSync(new Uint8Array(body), { level: 9 }).length,
      });
    });
  });
  await page.goto(baseUrl.href);
  const marks = await (await page.waitForFunction(coldLoadMarks)).jsonValue();
  return { listShownMs: marks?.listShown ?? Number.NaN, renderedMs: marks?.messagesRendered ?? Number.NaN, scripts };
}

/** Progress, on stderr: the table alone goes to stdout. */
const note = (message: string) => console.error(`[bench:web] ${message}`);

note('building the web app');
const build = Bun.spawnSync(['bun', 'run', '--filter', '@gopherchat/web', 'build'], { cwd: REPO_ROOT });
if (build.exitCode !== 0) throw new Error(`web build failed:\n${build.stderr.toString()}`);

note('starting the server');
await using server = await spawnServer({
  DATA_DIR: mkdtempSync(join(tmpdir(), 'gopherchat-bench-web-')),
  WEB_DIST_DIR,
  LOGIN_LIMIT_PER_IP: '1000',
});
const reader = await signUpClient(server.url, 'reader');
const writer = await signUpClient(server.url, 'writer');
const browser = await chromium.launch({
  executablePath: loadTestServices().chromiumPath,
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  const readerId = (await reader.api.auth.me.query()).id;
  const short = await writer.api.conversations.createGroup.mutate({ title: 'First page', memberIds: [readerId] });
  const long = await writer.api.conversations.createGroup.mutate({ title: 'Long history', memberIds: [readerId] });
  note(`seeding ${FIRST_PAGE + 10} + ${longConversationSize} messages`);
  await seedConversation(short.id, [writer, reader], FIRST_PAGE + 10);
  const seedStartedAt = performance.now();
  const photoIds = photoEvery > 0 ? await uploadPhotos(writer, Math.floor(longConversationSize / photoEvery)) : [];
  await seedConversation(long.id, [writer, reader], longConversationSize, photoIds);
  const seedSeconds = (performance.now() - seedStartedAt) / 1000;

  note(`${coldLoads} cold loads`);
  const loads = [];
  for (let run = 0; run < coldLoads; run++) loads.push(await coldLoad(browser, server.url, 'reader', 'First page'));
  const rendered = loads.map((load) => load.renderedMs).sort((a, b) => a - b);
  const listShown = loads.map((load) => load.listShownMs).sort((a, b) => a - b);
  const scripts = loads[0]?.scripts ?? [];
  const initialJsKb = scripts.reduce((sum, script) => sum + script.gzipBytes, 0) / 1024;
  const builtScripts = readdirSync(join(WEB_DIST_DIR, 'assets')).filter((name) => name.endsWith('.js'));

  // Scrolling: a normal window, signed in the same way.
  await using context = await signedInContext(browser, server.url, 'reader', { width: 1280, height: 720 });
  const page = await context.newPage();
  await page.addInitScript(watchLongTasks);
  await page.goto(server.url.href);
  await page.getByTestId('conversation').filter({ hasText: 'Long history' }).click();
  await page.getByTestId('message-list').getByTestId('message').first().waitFor();
  note('loading the whole history, then scrolling through it');
  const history = await page.evaluate(loadWholeHistory);
  if (values.trace) {
    await browser.startTracing(page, {
      path: values.trace,
      screenshots: false,
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8.execute',
        'blink.user_timing',
        'disabled-by-default-v8.cpu_profiler',
      ],
    });
  }
  const cdp = await context.newCDPSession(page);
  if (values.allocations) {
    // Everything allocated, collected since or not: one sample per 32 KB on average, cheap enough not to change much.
    await cdp.send('HeapProfiler.startSampling', {
      samplingInterval: 32_768,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  // The main thread's busy time over the scroll, in all and in script (garbage collection included): steadier
  // figures than a count of long tasks, which a quiet machine may show none of either way.
  await cdp.send('Performance.enable');
  const busyBefore = mainThreadBusy((await cdp.send('Performance.getMetrics')).metrics);
  const scroll = await page.evaluate(scrollThrough);
  const busyAfter = mainThreadBusy((await cdp.send('Performance.getMetrics')).metrics);
  if (values.trace) await browser.stopTracing();
  if (values.allocations) {
    const { profile } = await cdp.send('HeapProfiler.stopSampling');
    await Bun.write(values.allocations, JSON.stringify(profile));
  }
  if (values['heap-snapshot']) {
    const chunks: string[] = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (event) => chunks.push(event.chunk));
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    await Bun.write(values['heap-snapshot'], chunks.join(''));
  }
  const gaps = [...scroll.frameGaps].sort((a, b) => a - b);
  const scrollLongTasks = scroll.longTasks;

  const ms = (value: number) => `${Math.round(value)} ms`;
  const verdict = (isMet: boolean) => (isMet ? 'met' : '**missed**');
  const rows = [
    [
      'initial JS, signed-in app, gzip -9',
      `${initialJsKb.toFixed(1)} KB in ${scripts.length} file(s): ${scripts.map((script) => `${script.name.split('/').pop()} ${(script.gzipBytes / 1024).toFixed(1)} KB`).join(', ')} (built: ${builtScripts.length} files)`,
      `≤ ${BUDGET.initialJsKb} KB`,
      verdict(initialJsKb <= BUDGET.initialJsKb),
    ],
    [
      `cold load → ${FIRST_PAGE} messages rendered (median of ${coldLoads})`,
      `${ms(percentile(rendered, 50))} (min ${ms(rendered[0] ?? Number.NaN)}, max ${ms(rendered.at(-1) ?? Number.NaN)}); conversation list at ${ms(percentile(listShown, 50))}`,
      `< ${BUDGET.coldRenderMs} ms`,
      verdict(percentile(rendered, 50) < BUDGET.coldRenderMs),
    ],
    [
      `load ${longConversationSize} messages, page by page (seeded in ${seedSeconds.toFixed(1)} s)`,
      `${history.pages} pages in ${history.seconds.toFixed(1)} s; long tasks ${history.longTasks.length}, longest ${history.longTasks.length ? ms(Math.max(...history.longTasks)) : '–'}`,
      '–',
      '–',
    ],
    [
      `scroll ${longConversationSize} messages bottom → top → bottom, a screenful a frame`,
      `${gaps.length} frames; long tasks > 50 ms: ${scrollLongTasks.length}, longest ${scrollLongTasks.length ? ms(Math.max(...scrollLongTasks)) : '–'}; frame gap p50 ${round(percentile(gaps, 50))} / p99 ${round(percentile(gaps, 99))} / max ${round(gaps.at(-1) ?? Number.NaN)} ms; list ${Math.round(scroll.scrollHeight / 1000)}k px tall`,
      `no task > ${BUDGET.longTaskMs} ms`,
      verdict(scrollLongTasks.every((duration) => duration <= BUDGET.longTaskMs)),
    ],
    [
      'main thread busy while scrolling',
      `${(busyAfter.taskSeconds - busyBefore.taskSeconds).toFixed(2)} s, of which script ${(busyAfter.scriptSeconds - busyBefore.scriptSeconds).toFixed(2)} s, over ${(gaps.reduce((sum, gap) => sum + gap, 0) / 1000).toFixed(1)} s`,
      '–',
      '–',
    ],
    ['message bubbles in the DOM after scrolling', String(scroll.renderedMessages), '–', '–'],
    ['JS heap in use after scrolling', `${scroll.heapMb.toFixed(1)} MB`, '–', '–'],
  ];
  // The table for people, on stderr; the one JSON line, on stdout, for scripts and the history.
  console.error(`Chromium ${browser.version()}`);
  console.error('| measure | result | budget | |');
  console.error('|---|---|---|---|');
  for (const row of rows) console.error(`| ${row.join(' | ')} |`);
  console.log(
    JSON.stringify({
      chromium: browser.version(),
      initial_js_kb: round(initialJsKb),
      cold_render_ms_p50: round(percentile(rendered, 50)),
      list_shown_ms_p50: round(percentile(listShown, 50)),
      messages: longConversationSize,
      photo_every: photoEvery,
      reaction_every: reactionEvery,
      history_load_s: round(history.seconds),
      history_long_tasks: history.longTasks.length,
      scroll_frames: gaps.length,
      scroll_long_tasks: scrollLongTasks.length,
      scroll_longest_task_ms: scrollLongTasks.length ? Math.max(...scrollLongTasks) : 0,
      frame_gap_ms_p50: round(percentile(gaps, 50)),
      frame_gap_ms_p99: round(percentile(gaps, 99)),
      frame_gap_ms_max: round(gaps.at(-1) ?? Number.NaN),
      scroll_task_s: round(busyAfter.taskSeconds - busyBefore.taskSeconds),
      scroll_script_s: round(busyAfter.scriptSeconds - busyBefore.scriptSeconds),
      heap_mb_after_scroll: round(scroll.heapMb),
    }),
  );
} finally {
  await browser.close();
  await Promise.all([reader.close(), writer.close()]);
}
