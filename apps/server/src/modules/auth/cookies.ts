import { AUTH_COOKIE_PATH, REFRESH_COOKIE } from '@gopherchat/api';

/**
 * The refresh-token cookie: HttpOnly (no script reads it), SameSite=Strict
 * (no cross-site request carries it), scoped to the auth routes (nothing else
 * ever sees it), and Secure except over plain HTTP on loopback in development.
 */
export function refreshCookie(token: string, expiresAt: Date, options: { isSecure: boolean; now: number }): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - options.now) / 1000));
  return [
    `${REFRESH_COOKIE}=${token}`,
    `Path=${AUTH_COOKIE_PATH}`,
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(options.isSecure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedRefreshCookie(options: { isSecure: boolean }): string {
  return [
    `${REFRESH_COOKIE}=`,
    `Path=${AUTH_COOKIE_PATH}`,
    'Max-Age=0',
    'HttpOnly',
    'SameSite=Strict',
    ...(options.isSecure ? ['Secure'] : []),
  ].join('; ');
}

/** The refresh token from a Cookie header, if any. */
export function readRefreshCookie(cookieHeader: string | null): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === REFRESH_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}
