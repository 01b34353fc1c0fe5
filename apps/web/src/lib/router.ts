import { createSignal } from 'solid-js';

/**
 * Where the signed-in app is, as its address says: every conversation and
 * every message has one (`/c/:id`, `/c/:id/m/:seq`), so back and forward
 * work, a reload keeps the open conversation, and a link to a message opens
 * it in context.
 */
export type Route =
  | { page: 'chats' }
  | { page: 'conversation'; conversationId: string; seq?: number }
  | { page: 'account' }
  | { page: 'server' };

const CONVERSATION_PATH = /^\/c\/([^/]+)(?:\/m\/(\d+))?\/?$/;

function decodedOrUndefined(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    // A link cut off in the middle of an escape (`%E0%A4%A`).
    return undefined;
  }
}

/** The route an address names; anything unknown is the conversation list. */
export function parseRoute(pathname: string): Route {
  const conversation = CONVERSATION_PATH.exec(pathname);
  if (conversation) {
    const [, id = '', seq] = conversation;
    const conversationId = decodedOrUndefined(id);
    if (conversationId === undefined) return { page: 'chats' };
    const at = seq === undefined ? undefined : Number(seq);
    return at !== undefined && Number.isSafeInteger(at) && at >= 1
      ? { page: 'conversation', conversationId, seq: at }
      : { page: 'conversation', conversationId };
  }
  if (pathname === '/account' || pathname === '/account/') return { page: 'account' };
  if (pathname === '/server' || pathname === '/server/') return { page: 'server' };
  return { page: 'chats' };
}

/** The address of a route: `parseRoute(pathOf(route))` is `route`. */
export function pathOf(route: Route): string {
  switch (route.page) {
    case 'chats':
      return '/';
    case 'conversation': {
      const conversation = `/c/${encodeURIComponent(route.conversationId)}`;
      return route.seq === undefined ? conversation : `${conversation}/m/${route.seq}`;
    }
    case 'account':
      return '/account';
    case 'server':
      return '/server';
    default:
      return route satisfies never;
  }
}

/** A link to a message that opens it in context, for copying. */
export const messageLink = (origin: string, conversationId: string, seq: number) =>
  `${origin}${pathOf({ page: 'conversation', conversationId, seq })}`;

const [pathname, setPathname] = createSignal(typeof window === 'undefined' ? '/' : window.location.pathname);
if (typeof window !== 'undefined') window.addEventListener('popstate', () => setPathname(window.location.pathname));

/** The current route, following the address (back and forward included). */
export const currentRoute = (): Route => parseRoute(pathname());

/** Goes to `route`: a new history entry, or in place of the current one (`replace`), e.g. to correct an address. */
export function navigate(route: Route, options: { replace?: boolean } = {}) {
  const path = pathOf(route);
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  setPathname(path);
}
