import { AUTH_COOKIE_PATH, REFRESH_COOKIE } from '@gopherchat/api';

function cookie(
  name: string,
  value: string,
  options: { path: string; maxAgeSeconds: number; sameSite: 'Strict' | 'Lax'; isSecure: boolean },
): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    `SameSite=${options.sameSite}`,
    ...(options.isSecure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * The refresh-token cookie: HttpOnly (no script reads it), SameSite=Strict
 * (no cross-site request carries it), scoped to the auth routes (nothing else
 * ever sees it), and Secure except over plain HTTP on loopback in development.
 */
export function refreshCookie(token: string, expiresAt: Date, options: { isSecure: boolean; now: number }): string {
  return cookie(REFRESH_COOKIE, token, {
    path: AUTH_COOKIE_PATH,
    maxAgeSeconds: (expiresAt.getTime() - options.now) / 1000,
    sameSite: 'Strict',
    isSecure: options.isSecure,
  });
}

export function clearedRefreshCookie(options: { isSecure: boolean }): string {
  return cookie(REFRESH_COOKIE, '', { path: AUTH_COOKIE_PATH, maxAgeSeconds: 0, sameSite: 'Strict', ...options });
}

const OAUTH_ATTEMPT_COOKIE = 'gc_oauth';
const OAUTH_COOKIE_PATH = `${AUTH_COOKIE_PATH}/oauth`;
const OAUTH_ATTEMPT_TTL_SECONDS = 10 * 60;

/** One sign-in attempt with a provider: which provider, its state and its PKCE verifier. */
export interface OAuthAttempt {
  provider: string;
  state: string;
  codeVerifier: string;
}

/**
 * Remembers the attempt in this browser until the provider sends it back.
 * SameSite=Lax, not Strict: the return trip is a navigation from the
 * provider's site, and a Strict cookie would not ride along with it.
 */
export function oauthAttemptCookie(attempt: OAuthAttempt, options: { isSecure: boolean }): string {
  const value = [attempt.provider, attempt.state, attempt.codeVerifier].join('.');
  return cookie(OAUTH_ATTEMPT_COOKIE, value, {
    path: OAUTH_COOKIE_PATH,
    maxAgeSeconds: OAUTH_ATTEMPT_TTL_SECONDS,
    sameSite: 'Lax',
    ...options,
  });
}

export function clearedOAuthAttemptCookie(options: { isSecure: boolean }): string {
  return cookie(OAUTH_ATTEMPT_COOKIE, '', { path: OAUTH_COOKIE_PATH, maxAgeSeconds: 0, sameSite: 'Lax', ...options });
}

function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || undefined;
  }
  return undefined;
}

/** The refresh token from a Cookie header, if any. */
export function readRefreshCookie(cookieHeader: string | null): string | undefined {
  return readCookie(cookieHeader, REFRESH_COOKIE);
}

export function readOAuthAttemptCookie(cookieHeader: string | null): OAuthAttempt | undefined {
  const [provider, state, codeVerifier, ...rest] = readCookie(cookieHeader, OAUTH_ATTEMPT_COOKIE)?.split('.') ?? [];
  if (!provider || !state || !codeVerifier || rest.length > 0) return undefined;
  return { provider, state, codeVerifier };
}
