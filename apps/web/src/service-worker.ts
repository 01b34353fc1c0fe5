/**
 * The service worker (built to /sw.js by the `serviceWorker` plugin in
 * vite.config.ts, registered by main.tsx in production builds): the app shell
 * loads from its cache when the network does not answer, so a reload offline
 * shows the app rather than the browser's error page. The API is never
 * cached: what the app shows offline it keeps itself (the outbox, the chat
 * snapshot).
 */

/** Filled in at build time: this build's version and the files its shell loads at start. */
declare const __SW_BUILD__: { version: string; shell: string[] };
// Read once: the plugin writes the value wherever the name appears.
const BUILD = __SW_BUILD__;

// The service worker's own event types, which the DOM library (this project's) lacks.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}
const worker = self as unknown as ServiceWorkerScope;

const CACHE_PREFIX = 'gopherchat-shell-';
/** One cache per build: a shell and the assets it names always come from the same one. */
const CACHE = `${CACHE_PREFIX}${BUILD.version}`;
const SHELL = '/index.html';
/** Never answered from a cache, nor kept in one: the API, sign-in (cookies, redirects), the server's own endpoints. */
const NEVER_CACHED = /^\/(trpc|auth|healthz|readyz|metrics)(\/|$)/;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(BUILD.shell))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      // Pages opened before this worker was installed are served by it too, from now on.
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER_CACHED.test(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(networkFirstShell(request));
  // Hashed names: a file under /assets/ never changes, so a cached copy is always right.
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
});

/**
 * Pages from the network, so a new version shows as soon as it is deployed;
 * without one (offline, or a server error), the shell this worker cached.
 * The cached shell is only ever the one installed with this worker, whose
 * assets are cached with it.
 */
async function networkFirstShell(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.status < 500) return response;
    return (await cachedShell()) ?? response;
  } catch (error) {
    const shell = await cachedShell();
    if (shell) return shell;
    throw error;
  }
}

async function cachedShell() {
  return (await caches.open(CACHE)).match(SHELL);
}

/** Assets the shell loads later (the password checker's dictionaries) are kept the first time they are fetched. */
async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
