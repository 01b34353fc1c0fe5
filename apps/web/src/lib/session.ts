import {
  AUTH_COOKIE_PATH,
  CSRF_HEADER,
  type Me,
  OAUTH_ERROR_MESSAGES,
  OAUTH_ERROR_PARAM,
  type SignedIn,
} from '@gopherchat/api';
import { type ConnectionState, createGopherClient, toAppError } from '@gopherchat/sdk';
import { createSignal } from 'solid-js';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out'; reason?: string }
  | { status: 'signed-in'; user: Me };

/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_MS = 60_000;
const SIGNED_OUT_CHANNEL = 'gopherchat-auth';

const [session, setSession] = createSignal<SessionState>({ status: 'restoring' });
const [connectionState, setConnectionState] = createSignal<ConnectionState>('idle');

let accessToken: { value: string; expiresAt: number } | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshInFlight: Promise<boolean> | undefined;
const otherTabs = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SIGNED_OUT_CHANNEL);

/**
 * The one API client. The page is served from the API's origin (by the server
 * in production, through Vite's proxy in development), so the API lives here.
 */
export const gopher = createGopherClient({
  url: window.location.origin,
  accessToken: () => currentAccessToken(),
  onConnectionStateChange: setConnectionState,
  onSocketClosed: (code) => {
    // Revoked (4001) or refused token (4401/4402): find out whether the
    // session still stands; the socket reconnects by itself with the result.
    if (code === 4001 || code === 4401 || code === 4402) void refresh();
  },
});

function adopt(signedIn: SignedIn) {
  accessToken = { value: signedIn.accessToken, expiresAt: Date.parse(signedIn.accessTokenExpiresAt) };
  setSession({ status: 'signed-in', user: signedIn.user });
  clearTimeout(refreshTimer);
  const lifetime = accessToken.expiresAt - Date.now();
  refreshTimer = setTimeout(() => void refresh(), Math.max(5_000, lifetime - Math.min(REFRESH_AHEAD_MS, lifetime / 5)));
}

function forget(reason?: string) {
  accessToken = undefined;
  clearTimeout(refreshTimer);
  setSession({ status: 'signed-out', reason });
  void gopher.close();
}

/**
 * Exchanges the refresh cookie for a new access token. One at a time per tab;
 * tabs racing each other are fine (the server hands both the same rotated
 * token within its grace interval). Resolves whether the session stands.
 */
export function refresh(): Promise<boolean> {
  refreshInFlight ??= (async () => {
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
        return true;
      }
      if (response.status === 401 || response.status === 403) {
        const wasSignedIn = session().status === 'signed-in';
        forget(wasSignedIn ? 'Your session has ended. Please sign in again.' : undefined);
        return false;
      }
      // A server hiccup is not a sign-out: try again shortly.
      refreshTimer = setTimeout(() => void refresh(), 5_000);
      return session().status === 'signed-in';
    } catch {
      refreshTimer = setTimeout(() => void refresh(), 5_000);
      return session().status === 'signed-in';
    } finally {
      refreshInFlight = undefined;
    }
  })();
  return refreshInFlight;
}

async function currentAccessToken(): Promise<string | undefined> {
  if (accessToken && accessToken.expiresAt - Date.now() < 10_000) await refresh();
  return accessToken?.value;
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
  const providerError = takeProviderSignInError();
  const isSignedIn = await refresh();
  if (!isSignedIn && providerError) setSession({ status: 'signed-out', reason: providerError });
}

/** Runs `work`; resolves to a user-readable error, or undefined on success. */
export async function attempt(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return toAppError(error).userMessage;
  }
}

export const signIn = (login: string, password: string) =>
  attempt(async () => adopt(await gopher.api.auth.login.mutate({ login, password })));

export const signUp = (input: { username: string; email: string; password: string }) =>
  attempt(async () => adopt(await gopher.api.auth.register.mutate(input)));

/** Changes the password; the server signs every other device out. */
export const changePassword = (currentPassword: string, newPassword: string) =>
  attempt(() => gopher.api.auth.changePassword.mutate({ currentPassword, newPassword }));

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
