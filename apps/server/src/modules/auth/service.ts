import {
  DISPLAY_NAME_MAX_LENGTH,
  type Me,
  OAUTH_PROVIDERS,
  type OAuthErrorCode,
  type OAuthProviderId,
  type SessionInfo,
  type SignedIn,
  type SignInMethods,
  type TChangePasswordInput,
  type TLoginInput,
  type TRegisterInput,
  toStorableText,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from '@gopherchat/api';
import { assessPassword } from '@gopherchat/api/password-policy';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { AuthConfig } from '../../env.ts';
import { AppError } from '../../errors.ts';
import type { Bus } from '../../platform/bus/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { violatedUniqueConstraint } from '../../platform/database/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import type { AccessClaims, AccessTokens, VerifiedAccess } from './access-tokens.ts';
import type { AuthKeys } from './keys.ts';
import { OAuthExchangeError, type OAuthProfile, type OAuthProvider } from './oauth-providers.ts';
import type { PasswordHasher } from './passwords.ts';
import { hashRefreshToken, newRefreshToken, nextRefreshToken } from './refresh-tokens.ts';
import type { AuthRepo, SessionRow, UserRow } from './repo.ts';

/** Published with `{ sessionIds }` when sessions are revoked: every instance closes their sockets. */
export const SESSION_REVOKED_TOPIC = 'auth.session-revoked';

/** Where a request came from, kept with the session for the sessions page. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** A sign-in's result: what the client sees, and the refresh token for its cookie. */
export interface IssuedSession {
  signedIn: SignedIn;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

/** The same words for "no such account" and "wrong password": they must not be told apart. */
const INVALID_LOGIN = 'That username or email and password do not match.';
const SESSION_ENDED = 'Your session has ended. Please sign in again.';
const USER_AGENT_MAX = 512;
const DEAD_SESSION_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

function toMe(user: UserRow): Me {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    avatarKey: user.avatarKey,
    createdAt: user.createdAt.toISOString(),
    role: user.role,
  };
}

/** A username for a new account from a provider's handle: our alphabet, room left for a suffix. */
function usernameBaseFrom(handle: string): string {
  const cleaned = handle
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, USERNAME_MAX_LENGTH - 5);
  return cleaned.length >= USERNAME_MIN_LENGTH ? cleaned : `user${cleaned}`;
}

/** The base itself first, then the base with random suffixes: the first free one wins. */
function usernameCandidates(base: string): string[] {
  const suffixes = [...crypto.getRandomValues(new Uint16Array(4))].map((n) => String(n % 10_000).padStart(4, '0'));
  return [base, ...suffixes.map((suffix) => `${base}-${suffix}`)];
}

export type ProviderSignIn = { kind: 'signed-in'; issued: IssuedSession } | { kind: 'refused'; reason: OAuthErrorCode };

/**
 * The failed-sign-in counter of an account: one for the account, however it
 * was named (username or email, in any case), shared with password changes.
 */
const accountLimitKey = (userId: string) => `account:${userId}`;

/**
 * The counter of a name that matches no account: by what was typed,
 * normalised, so unknown names are throttled as real ones are, with the same
 * words, without saying which exist.
 */
const unknownLoginLimitKey = (login: string) => `unknown:${login.trim().normalize('NFKC').toLowerCase()}`;

function rateLimited(retryAfterMs: number, what: string): AppError {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return new AppError('RATE_LIMITED', `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
}

export function createAuthService(deps: {
  repo: AuthRepo;
  passwords: PasswordHasher;
  accessTokens: AccessTokens;
  keys: AuthKeys;
  cache: Cache;
  bus: Bus;
  clock: Clock;
  limits: { loginByIp: RateLimiter; loginByAccount: RateLimiter; registerByIp: RateLimiter };
  /** Sign-in providers this deployment has credentials for. */
  providers: ReadonlyMap<OAuthProviderId, OAuthProvider>;
  config: AuthConfig;
  logger: Logger;
}) {
  const { repo, passwords, accessTokens, keys, cache, bus, clock, limits, providers, config, logger } = deps;
  const now = () => new Date(clock.now());
  const revokedKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;

  async function signedInAs(user: UserRow, sessionId: string): Promise<SignedIn> {
    const access = await accessTokens.issue({ userId: user.id, sessionId });
    return { user: toMe(user), accessToken: access.token, accessTokenExpiresAt: access.expiresAt.toISOString() };
  }

  async function startSession(user: UserRow, meta: RequestMeta): Promise<IssuedSession> {
    const at = now();
    const familyId = uuidv7();
    const refreshToken = newRefreshToken();
    const familyExpiresAt = new Date(at.getTime() + config.sessionMaxAgeMs);
    const expiresAt = new Date(Math.min(at.getTime() + config.refreshTokenIdleMs, familyExpiresAt.getTime()));
    await repo.insertSession({
      id: uuidv7(),
      familyId,
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      parentId: null,
      userAgent: meta.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      ip: meta.ip,
      createdAt: at,
      lastUsedAt: at,
      expiresAt,
      familyExpiresAt,
    });
    return { signedIn: await signedInAs(user, familyId), refreshToken, refreshTokenExpiresAt: expiresAt };
  }

  /**
   * Makes revocations bite at once: access tokens of these sessions are
   * refused from now until they would have expired anyway, and every
   * instance closes the sessions' sockets.
   */
  async function announceRevoked(sessionIds: string[]) {
    if (sessionIds.length === 0) return;
    const ttl = config.accessTokenTtlMs + 60_000;
    // Committed already; without the cache (Redis down) `authenticate` reads the revocation from the database.
    await Promise.all(sessionIds.map((id) => cache.set(revokedKey(id), '1', ttl))).catch((error) =>
      logger.warn({ err: error, sessionIds }, 'revocation not cached; checked in the database while the cache is down'),
    );
    await bus
      .publish(SESSION_REVOKED_TOPIC, JSON.stringify({ sessionIds }))
      .catch((error) => logger.warn({ err: error }, 'session revocation not published; sockets close at token expiry'));
  }

  function requireAcceptablePassword(password: string, relatedInputs: string[]) {
    const verdict = assessPassword(password, relatedInputs);
    if (!verdict.isAcceptable) {
      throw new AppError('INVALID_INPUT', [verdict.problem, ...verdict.suggestions].join(' '));
    }
  }

  /**
   * Signs in whoever the provider vouched for. A known identity signs in
   * its account. Otherwise the provider's *verified* email decides: it
   * links to the account with that email, or a new account is made. An
   * address the provider has not verified never links anything.
   *
   * Linking to an account whose email we never verified drops its password
   * and signs out its sessions: whoever registered it may not own the
   * address (an account "pre-hijacking" attacker registers a victim's
   * email first and waits for the victim to sign in with a provider).
   */
  async function signInWithProvider(profile: OAuthProfile, meta: RequestMeta): Promise<ProviderSignIn> {
    const known = await repo.findUserByOAuthIdentity(profile.provider, profile.providerUserId);
    if (known) return { kind: 'signed-in', issued: await startSession(known, meta) };
    const email = profile.verifiedEmail;
    if (!email) return { kind: 'refused', reason: 'no_verified_email' };
    const identity = { id: uuidv7(), provider: profile.provider, providerUserId: profile.providerUserId };

    // Two callbacks for one person can race (a double-clicked consent):
    // whichever loses signs in to what the winner linked or created.
    const signInRaceWinner = async (error: unknown): Promise<ProviderSignIn> => {
      const constraint = violatedUniqueConstraint(error);
      if (constraint === 'users_email_lower_key' || constraint === 'credentials_provider_identity_key') {
        const winner = await repo.findUserByOAuthIdentity(profile.provider, profile.providerUserId);
        if (winner) return { kind: 'signed-in', issued: await startSession(winner, meta) };
      }
      throw error;
    };
    const at = now();

    const existing = await repo.findUserByEmail(email);
    if (existing) {
      let revoked: string[];
      try {
        revoked = await repo.transaction(async (tx) => {
          await tx.insertOAuthIdentity(existing.id, identity);
          if (existing.emailVerifiedAt) return [];
          await tx.verifyEmailDroppingPassword(existing.id, at);
          return tx.revokeFamiliesOfUser(existing.id, 'email proven by a sign-in provider', at);
        });
      } catch (error) {
        return signInRaceWinner(error);
      }
      await announceRevoked(revoked);
      logger.info(
        { userId: existing.id, provider: profile.provider, droppedPassword: !existing.emailVerifiedAt },
        'sign-in provider linked by verified email',
      );
      return { kind: 'signed-in', issued: await startSession(existing, meta) };
    }

    // The provider's text, not the person's input: made storable rather than refused.
    const displayName = toStorableText(
      profile.displayName?.trim() || profile.preferredUsername,
      DISPLAY_NAME_MAX_LENGTH,
    );
    for (const username of usernameCandidates(usernameBaseFrom(profile.preferredUsername))) {
      try {
        const user = await repo.createUserWithOAuth(
          { id: uuidv7(), username, email, emailVerifiedAt: at, displayName, createdAt: at, updatedAt: at },
          identity,
        );
        logger.info({ userId: user.id, provider: profile.provider }, 'account created through a sign-in provider');
        return { kind: 'signed-in', issued: await startSession(user, meta) };
      } catch (error) {
        if (violatedUniqueConstraint(error) === 'users_username_lower_key') continue;
        return signInRaceWinner(error);
      }
    }
    throw new AppError('CONFLICT', 'Could not find a free username. Please try again.');
  }

  return {
    async register(input: TRegisterInput, meta: RequestMeta): Promise<IssuedSession> {
      const decision = await limits.registerByIp.consume(meta.ip ?? 'unknown');
      if (!decision.isAllowed) throw rateLimited(decision.retryAfterMs, 'sign-ups from your network');
      const displayName = input.displayName ?? input.username;
      requireAcceptablePassword(input.password, [input.username, input.email, displayName]);
      const passwordHash = await passwords.hash(input.password);
      const at = now();
      let user: UserRow;
      try {
        user = await repo.createUserWithPassword(
          { id: uuidv7(), username: input.username, email: input.email, displayName, createdAt: at, updatedAt: at },
          passwordHash,
          uuidv7(),
        );
      } catch (error) {
        const constraint = violatedUniqueConstraint(error);
        if (constraint === 'users_username_lower_key') {
          throw new AppError('CONFLICT', 'That username is taken. Try another one.', { cause: error });
        }
        if (constraint === 'users_email_lower_key') {
          throw new AppError('CONFLICT', 'An account with that email already exists. Sign in instead.', {
            cause: error,
          });
        }
        throw error;
      }
      logger.info({ userId: user.id }, 'account created');
      return startSession(user, meta);
    },

    async login(input: TLoginInput, meta: RequestMeta): Promise<IssuedSession> {
      const byIp = await limits.loginByIp.consume(meta.ip ?? 'unknown');
      if (!byIp.isAllowed) throw rateLimited(byIp.retryAfterMs, 'sign-in attempts from your network');
      const found = await repo.findUserForLogin(input.login);
      const accountKey = found ? accountLimitKey(found.user.id) : unknownLoginLimitKey(input.login);
      const byAccount = await limits.loginByAccount.consume(accountKey);
      if (!byAccount.isAllowed) throw rateLimited(byAccount.retryAfterMs, 'sign-in attempts for this account');

      const isValid = found?.passwordHash
        ? await passwords.verify(input.password, found.passwordHash)
        : await passwords.verifyNothing(input.password);
      if (!found || !isValid) throw new AppError('UNAUTHENTICATED', INVALID_LOGIN);
      await limits.loginByAccount.reset(accountKey);
      return startSession(found.user, meta);
    },

    providerIds(): OAuthProviderId[] {
      return [...providers.keys()];
    },

    /** Where to send the browser to sign in with `providerId`; undefined for an unknown provider. */
    async providerAuthorizationUrl(
      providerId: OAuthProviderId,
      attempt: { state: string; codeVerifier: string; redirectUri: string },
    ): Promise<URL | undefined> {
      return providers.get(providerId)?.authorizationUrl(attempt);
    },

    /** Redeems the provider's authorization code and signs in whoever it names. */
    async completeProviderSignIn(
      providerId: OAuthProviderId,
      attempt: { code: string; codeVerifier: string; redirectUri: string },
      meta: RequestMeta,
    ): Promise<ProviderSignIn> {
      const provider = providers.get(providerId);
      if (!provider) return { kind: 'refused', reason: 'provider_failed' };
      const byIp = await limits.loginByIp.consume(meta.ip ?? 'unknown');
      if (!byIp.isAllowed) return { kind: 'refused', reason: 'rate_limited' };
      let profile: OAuthProfile;
      try {
        profile = await provider.profileFor(attempt);
      } catch (error) {
        if (!(error instanceof OAuthExchangeError) && !(error instanceof z.ZodError)) throw error;
        logger.warn({ err: error, provider: providerId }, 'provider sign-in failed');
        return { kind: 'refused', reason: 'provider_failed' };
      }
      return signInWithProvider(profile, meta);
    },

    async signInMethods(userId: string): Promise<SignInMethods> {
      const rows = await repo.listCredentials(userId);
      const linked = new Set(rows.map((row) => row.provider));
      return {
        hasPassword: rows.some((row) => row.kind === 'password'),
        providers: OAUTH_PROVIDERS.filter((provider: OAuthProviderId) => linked.has(provider)),
      };
    },

    /**
     * Exchanges a refresh token for a new one and a new access token. A token
     * already exchanged revokes its whole family (it was stolen, or the thief
     * used it first), except the immediately previous token within the grace
     * interval, which yields the same child token again.
     */
    async refresh(refreshToken: string, meta: RequestMeta): Promise<IssuedSession> {
      const at = now();
      const next = nextRefreshToken(keys.secret, refreshToken);
      const outcome = await repo.transaction(
        async (
          tx,
        ): Promise<{ kind: 'invalid' } | { kind: 'reused'; familyId: string } | { kind: 'ok'; row: SessionRow }> => {
          const row = await tx.lockSessionByTokenHash(hashRefreshToken(refreshToken));
          if (!row || row.revokedAt || row.expiresAt <= at || row.familyExpiresAt <= at) return { kind: 'invalid' };
          if (row.rotatedAt) {
            const child = await tx.lockChildSession(row.id);
            const isWithinGrace =
              at.getTime() - row.rotatedAt.getTime() <= config.refreshReuseGraceMs &&
              child !== undefined &&
              child.tokenHash === hashRefreshToken(next) &&
              !child.rotatedAt &&
              !child.revokedAt;
            if (isWithinGrace) {
              await tx.touchSession(child.id, at);
              return { kind: 'ok', row: child };
            }
            await tx.revokeFamily(row.familyId, 'refresh token reused', at);
            return { kind: 'reused', familyId: row.familyId };
          }
          const child: SessionRow = {
            id: uuidv7(),
            familyId: row.familyId,
            userId: row.userId,
            tokenHash: hashRefreshToken(next),
            parentId: row.id,
            userAgent: meta.userAgent?.slice(0, USER_AGENT_MAX) ?? row.userAgent,
            ip: meta.ip ?? row.ip,
            createdAt: at,
            lastUsedAt: at,
            expiresAt: new Date(Math.min(at.getTime() + config.refreshTokenIdleMs, row.familyExpiresAt.getTime())),
            familyExpiresAt: row.familyExpiresAt,
            rotatedAt: null,
            revokedAt: null,
            revokeReason: null,
          };
          await tx.insertSession(child);
          await tx.markRotated(row.id, at);
          return { kind: 'ok', row: child };
        },
      );
      switch (outcome.kind) {
        case 'invalid':
          throw new AppError('UNAUTHENTICATED', SESSION_ENDED);
        case 'reused':
          logger.warn({ sessionId: outcome.familyId, ip: meta.ip }, 'refresh token reuse: session revoked');
          await announceRevoked([outcome.familyId]);
          throw new AppError('UNAUTHENTICATED', SESSION_ENDED);
        case 'ok': {
          const user = await repo.findUserById(outcome.row.userId);
          if (!user) throw new AppError('UNAUTHENTICATED', SESSION_ENDED);
          return {
            signedIn: await signedInAs(user, outcome.row.familyId),
            refreshToken: next,
            refreshTokenExpiresAt: outcome.row.expiresAt,
          };
        }
        default:
          return outcome satisfies never;
      }
    },

    /** Ends the session the refresh token belongs to; unknown tokens are ignored (logging out is idempotent). */
    async logout(refreshToken: string): Promise<void> {
      const row = await repo.transaction((tx) => tx.lockSessionByTokenHash(hashRefreshToken(refreshToken)));
      if (!row) return;
      if (await repo.revokeFamily(row.familyId, 'signed out', now())) await announceRevoked([row.familyId]);
    },

    async logoutEverywhere(userId: string): Promise<void> {
      await announceRevoked(await repo.revokeFamiliesOfUser(userId, 'signed out everywhere', now()));
    },

    async revokeSession(userId: string, sessionId: string): Promise<void> {
      if ((await repo.findFamilyOwner(sessionId)) !== userId) {
        throw new AppError('NOT_FOUND', 'That session no longer exists.');
      }
      if (await repo.revokeFamily(sessionId, 'revoked by the user', now())) await announceRevoked([sessionId]);
    },

    /** Changes the password and signs every other session out. */
    async changePassword(claims: AccessClaims, input: TChangePasswordInput): Promise<void> {
      const user = await repo.findUserById(claims.userId);
      const currentHash = await repo.findPasswordHash(claims.userId);
      if (!user || !currentHash) throw new AppError('FORBIDDEN', 'This account has no password to change.');
      const attempt = await limits.loginByAccount.consume(accountLimitKey(user.id));
      if (!attempt.isAllowed) throw rateLimited(attempt.retryAfterMs, 'attempts for this account');
      if (!(await passwords.verify(input.currentPassword, currentHash))) {
        throw new AppError('FORBIDDEN', 'Your current password is not correct.');
      }
      requireAcceptablePassword(input.newPassword, [user.username, user.email, user.displayName]);
      await repo.updatePasswordHash(user.id, await passwords.hash(input.newPassword), now());
      await announceRevoked(await repo.revokeFamiliesOfUser(user.id, 'password changed', now(), claims.sessionId));
    },

    async listSessions(claims: AccessClaims): Promise<SessionInfo[]> {
      const rows = await repo.listActiveFamilies(claims.userId, now());
      return rows.map((row) => ({
        id: row.familyId,
        userAgent: row.userAgent,
        ip: row.ip,
        createdAt: row.startedAt.toISOString(),
        lastUsedAt: row.lastUsedAt.toISOString(),
        isCurrent: row.familyId === claims.sessionId,
      }));
    },

    async me(claims: AccessClaims): Promise<Me> {
      const user = await repo.findUserById(claims.userId);
      if (!user) throw new AppError('UNAUTHENTICATED', SESSION_ENDED);
      return toMe(user);
    },

    /**
     * Forgets sign-ins that ended over a week ago. The week keeps a revoked
     * family around long enough to recognise (and log) late reuse attempts.
     */
    async pruneDeadSessions(): Promise<number> {
      return repo.deleteDeadSessions(new Date(clock.now() - DEAD_SESSION_RETENTION_MS));
    },

    /** The claims of a valid, unrevoked access token; UNAUTHENTICATED otherwise. */
    async authenticate(accessToken: string): Promise<VerifiedAccess> {
      const claims = await accessTokens.verify(accessToken);
      // The cache makes this check cheap on every request; it never makes it optional.
      const isRevoked = await cache.get(revokedKey(claims.sessionId)).then(
        (cached) => cached !== undefined,
        () => repo.isFamilyRevoked(claims.sessionId),
      );
      if (isRevoked) {
        throw new AppError('UNAUTHENTICATED', 'This session was signed out. Please sign in again.');
      }
      return claims;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
