// What auth sends over the wire: types and constants, free of zod so the web app's
// main bundle can import them without the validator.

import type { UserStatus } from './users-wire.ts';

/**
 * What a person may do on the whole server. An `admin` may post
 * announcements; everyone reads them. The first account created on a server
 * is its admin; operators grant and revoke with `bun run admin`.
 */
export type ServerRole = 'member' | 'admin';

/** The signed-in person, as they see themselves. */
export interface Me {
  id: string;
  username: string;
  email: string;
  displayName: string;
  avatarKey: string | null;
  /** My status, as others see it (see UserProfile). */
  status?: UserStatus;
  createdAt: string;
  /**
   * As of sign-in, refresh or `auth.me`: for showing what the person may do.
   * The server checks the current role on every privileged call itself.
   */
  role: ServerRole;
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

export const OAUTH_PROVIDERS = ['github', 'google'] as const;
export type OAuthProviderId = (typeof OAUTH_PROVIDERS)[number];
export const OAUTH_PROVIDER_LABELS: Record<OAuthProviderId, string> = { github: 'GitHub', google: 'Google' };

/** Where the browser goes to start signing in with a provider. */
export const oauthStartPath = (provider: OAuthProviderId) => `${AUTH_COOKIE_PATH}/oauth/${provider}`;

/**
 * A failed provider sign-in lands back on the app with `?oauth_error=<code>`.
 * Only the code travels in the URL: a crafted link cannot put words on screen.
 */
export const OAUTH_ERROR_PARAM = 'oauth_error';
export const OAUTH_ERROR_MESSAGES = {
  denied: 'Sign-in was cancelled at the provider.',
  state_mismatch: 'That sign-in link expired or was opened in another browser. Please try again.',
  provider_failed: 'The provider could not confirm who you are. Please try again.',
  no_verified_email: 'Your account at the provider has no verified email address. Verify one there, then try again.',
  rate_limited: 'Too many sign-in attempts from your network. Wait a few minutes, then try again.',
} as const;
export type OAuthErrorCode = keyof typeof OAUTH_ERROR_MESSAGES;

/** How the signed-in person can sign in: shown on the account page. */
export interface SignInMethods {
  hasPassword: boolean;
  providers: OAuthProviderId[];
}
