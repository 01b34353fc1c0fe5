import {
  AUTH_COOKIE_PATH,
  CSRF_HEADER,
  isAuthCloseCode,
  type Me,
  OAUTH_ERROR_MESSAGES,
  OAUTH_ERROR_PARAM,
  type SignedIn,
  type UserProfile,
} from '@gopherchat/api';
import { createGopherClient } from '@gopherchat/sdk';
import { createSignal } from 'solid-js';
import { attempt } from './attempt.ts';
import { type ConnectionState, createConnectionDriver, listenToBrowser } from './connection.ts';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out'; reason?: string }
  | { status: 'signed-in'; user: Me };

/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_MS = 60_000;
const SIGNED_OUT_CHANNEL = 'gopherchat-auth';
/**
 * The last person signed in here, so that a page loaded without the server
 * (offline, from the service worker's cache) still knows whose it is.
 */
const REMEMBERED_USER_KEY = 'gopherchat.me';

/**
 * Where a person's data for offline use is kept (the chat's last known
 * state). Dropped at sign-out, unlike the outbox, which still sends when they
 * sign in again.
 */
export const offlineDataKey = (userId: string) => `gopherchat.offline.${userId}`;
/** Where a person's unsent drafts are kept on this device; dropped at sign-out too. */
export const draftsKey = (userId: string) => `gopherchat.drafts.${userId}`;
/** Where a person's recent emoji and skin tone are kept: a preference, so it outlives sign-out. */
export const emojiPrefsKey = (userId: string) => `gopherchat.emoji.${userId}`;

const [session, setSession] = createSignal<SessionState>({ status: 'restoring' });

/** What the last refresh came to: a fresh token, no answer (or a server error), or a session that has ended. */
type RefreshOutcome = 'renewed' | 'unreachable' | 'signed-out';

let accessToken: { value: string; expiresAt: number } | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshInFlight: Promise<RefreshOutcome> | undefined;
const otherTabs = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SIGNED_OUT_CHANNEL);

/** The live connection's state machine (docs/connection.md): the socket below opens only when it says so. */
export const connection = createConnectionDriver({
  now: Date.now,
  random: Math.random,
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  dropSocket: () => gopher.dropSocket(),
  renewAuth: () => refreshSession(),
});
const [connectionState, setConnectionState] = createSignal<ConnectionState>(connection.state);
connection.subscribe(setConnectionState);

/**
 * The one API client. The page is served from the API's origin (by the server
 * in production, through Vite's proxy in development), so the API lives here.
 */
export const gopher = createGopherClient({
  url: window.location.origin,
  accessToken: () => currentAccessToken(),
  waitToConnect: async () => {
    await connection.waitToConnect();
    await ensureAccessToken();
  },
  onConnectionLost: () => connection.dispatch({ type: 'connection-lost' }),
  onSubscriptionStarted: () => connection.dispatch({ type: 'connected' }),
  onSocketClosed: (code) => {
    if (isAuthCloseCode(code)) connection.dispatch({ type: 'auth-rejected' });
  },
});

function rememberedUser(): Me | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(REMEMBERED_USER_KEY) ?? 'null') as Me | null;
    return stored && typeof stored.id === 'string' ? stored : undefined;
  } catch {
    return undefined;
  }
}

function enter(user: Me) {
  // The connection first: the chat shown next opens its subscription at once.
  connection.dispatch({ type: 'signed-in', isOnline: navigator.onLine });
  setSession({ status: 'signed-in', user });
}

function adopt(signedIn: SignedIn) {
  accessToken = { value: signedIn.accessToken, expiresAt: Date.parse(signedIn.accessTokenExpiresAt) };
  localStorage.setItem(REMEMBERED_USER_KEY, JSON.stringify(signedIn.user));
  enter(signedIn.user);
  clearTimeout(refreshTimer);
  const lifetime = accessToken.expiresAt - Date.now();
  refreshTimer = setTimeout(
    () => void refreshSession(),
    Math.max(5_000, lifetime - Math.min(REFRESH_AHEAD_MS, lifetime / 5)),
  );
}

function forget(reason?: string) {
  const state = session();
  if (state.status === 'signed-in') {
    localStorage.removeItem(offlineDataKey(state.user.id));
    localStorage.removeItem(draftsKey(state.user.id));
  }
  localStorage.removeItem(REMEMBERED_USER_KEY);
  accessToken = undefined;
  clearTimeout(refreshTimer);
  setSession({ status: 'signed-out', reason });
  // Stopped first: an attempt held back for the connection is refused rather than left waiting.
  connection.dispatch({ type: 'signed-out' });
  void gopher.close();
}

/** No answer is not a sign-out: try again shortly (one timer, however many callers failed). */
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshSession(), 5_000);
}

/**
 * Exchanges the refresh cookie for a new access token. One at a time per tab;
 * tabs racing each other are fine (the server hands both the same rotated
 * token within its grace interval).
 */
function refreshSession(): Promise<RefreshOutcome> {
  refreshInFlight ??= (async (): Promise<RefreshOutcome> => {
    try {
      const response = await fetch(`${AUTH_COOKIE_PATH}/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { [CSRF_HEADER]: '1' },
      });
      if (response.status === 200) {
        const signedIn = (await response.json()) as SignedIn;
        adopt(signedIn);
        await gopher.renewSocket(signedIn.accessToken).catch(() => {});
        return 'renewed';
      }
      if (response.status === 401 || response.status === 403) {
        const wasSignedIn = session().status === 'signed-in';
        forget(wasSignedIn ? 'Your session has ended. Please sign in again.' : undefined);
        return 'signed-out';
      }
      refreshSoon();
      return 'unreachable';
    } catch {
      refreshSoon();
      return 'unreachable';
    } finally {
      refreshInFlight = undefined;
    }
  })();
  return refreshInFlight;
}

const isExpiring = (token: { expiresAt: number }) => token.expiresAt - Date.now() < 10_000;

async function currentAccessToken(): Promise<string | undefined> {
  if (accessToken && isExpiring(accessToken)) await refreshSession();
  return accessToken?.value;
}

/**
 * Before a socket opens: a usable access token, fetched first if the page
 * has none (it started offline) or it is about to expire. A socket without
 * one would only be refused; failing here counts as a failed attempt.
 */
async function ensureAccessToken() {
  if (session().status === 'signed-in' && (!accessToken || isExpiring(accessToken))) await refreshSession();
  if (!accessToken) throw new Error('No access token to connect with.');
}

/**
 * Takes the error a failed provider sign-in came back with out of the address
 * bar (so a reload does not show it again) and puts it in words. Only known
 * codes get words: a crafted link cannot put text on the screen.
 */
function takeProviderSignInError(): string | undefined {
  const url = new URL(window.location.href);
  const code = url.searchParams.get(OAUTH_ERROR_PARAM);
  if (code === null) return undefined;
  url.searchParams.delete(OAUTH_ERROR_PARAM);
  window.history.replaceState(window.history.state, '', url);
  return code in OAUTH_ERROR_MESSAGES
    ? OAUTH_ERROR_MESSAGES[code as keyof typeof OAUTH_ERROR_MESSAGES]
    : 'Signing in with that provider did not work. Please try again.';
}

/** On page load: a refresh cookie, if there is one, restores the session silently. */
export async function restoreSession() {
  otherTabs?.addEventListener('message', (event) => {
    if (event.data === 'signed-out') forget();
  });
  listenToBrowser(connection.dispatch, { window, document });
  const providerError = takeProviderSignInError();
  const outcome = await refreshSession();
  if (outcome === 'renewed') return;
  // No server (offline, or it is down): the person last signed in here carries on with what this browser kept.
  const remembered = outcome === 'unreachable' ? rememberedUser() : undefined;
  if (remembered && session().status === 'restoring') enter(remembered);
  else if (providerError) setSession({ status: 'signed-out', reason: providerError });
  // No server and no one to carry on as: the sign-in screen, not "Loading…" until the server answers. (It keeps
  // being asked: a session it still holds comes back by itself.)
  else if (session().status === 'restoring') setSession({ status: 'signed-out' });
}

export const signIn = (login: string, password: string) =>
  attempt(async () => adopt(await gopher.api.auth.login.mutate({ login, password })));

export const signUp = (input: { username: string; email: string; password: string }) =>
  attempt(async () => adopt(await gopher.api.auth.register.mutate(input)));

/** Changes the password; the server signs every other device out. */
export const changePassword = (currentPassword: string, newPassword: string) =>
  attempt(() => gopher.api.auth.changePassword.mutate({ currentPassword, newPassword }));

/** My profile as edited, here or on another device: the signed-in person shows it, and a reload offline too. */
export function adoptProfile(profile: UserProfile) {
  const state = session();
  if (state.status !== 'signed-in' || state.user.id !== profile.id) return;
  const { displayName, username, avatarKey, status } = profile;
  const { status: _previous, ...unchanged } = state.user;
  const user: Me = { ...unchanged, displayName, username, avatarKey, ...(status && { status }) };
  localStorage.setItem(REMEMBERED_USER_KEY, JSON.stringify(user));
  setSession({ status: 'signed-in', user });
}

/** Sets what others see I am up to, until `expiresAt` (null: until cleared). */
export const setMyStatus = (input: { text: string; emoji: string | null; expiresAt: string | null }) =>
  attempt(async () => adoptProfile(await gopher.api.users.setStatus.mutate(input)));

export const clearMyStatus = () => attempt(async () => adoptProfile(await gopher.api.users.clearStatus.mutate()));

/** Changes the name others see me by. */
export const changeDisplayName = (displayName: string) =>
  attempt(async () => adoptProfile(await gopher.api.users.updateProfile.mutate({ displayName })));

export async function signOut() {
  await fetch(`${AUTH_COOKIE_PATH}/logout`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: '1' },
  }).catch(() => {});
  otherTabs?.postMessage('signed-out');
  forget();
}

export { connectionState, session };
