// What auth sends over the wire: types and constants, free of zod so the web app's
// main bundle can import them without the validator.

/** The signed-in person, as they see themselves. */
export interface Me {
  id: string;
  username: string;
  email: string;
  displayName: string;
  avatarKey: string | null;
  createdAt: string;
}

/** What sign-up, sign-in and refresh return (the refresh token travels only in its cookie). */
export interface SignedIn {
  user: Me;
  accessToken: string;
  /** ISO time; refresh a little before it. */
  accessTokenExpiresAt: string;
}

/** One signed-in device or browser (a refresh-token family). */
export interface SessionInfo {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  isCurrent: boolean;
}

/** Header that refresh and logout require: a cross-site form or image cannot set it. */
export const CSRF_HEADER = 'x-gopherchat-csrf';
/** Where the refresh-token cookie is sent (and only there). */
export const AUTH_COOKIE_PATH = '/auth';
export const REFRESH_COOKIE = 'gc_refresh';
