import type { Me, SessionInfo, SignedIn, TChangePasswordInput, TLoginInput, TRegisterInput } from '@gopherchat/api';
import { assessPassword } from '@gopherchat/api/password-policy';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import type { AuthConfig } from '../../env.ts';
import { AppError } from '../../errors.ts';
import type { Bus } from '../../platform/bus/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { violatedUniqueConstraint } from '../../platform/database/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import type { AccessClaims, AccessTokens, VerifiedAccess } from './access-tokens.ts';
import type { AuthKeys } from './keys.ts';
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
  };
}

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
  config: AuthConfig;
  logger: Logger;
}) {
  const { repo, passwords, accessTokens, keys, cache, bus, clock, limits, config, logger } = deps;
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
    await Promise.all(sessionIds.map((id) => cache.set(revokedKey(id), '1', ttl)));
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
      // Keyed by what was typed, whether or not such an account exists: the
      // limit itself must not reveal which accounts do.
      const accountKey = input.login.toLowerCase();
      const byAccount = await limits.loginByAccount.consume(accountKey);
      if (!byAccount.isAllowed) throw rateLimited(byAccount.retryAfterMs, 'sign-in attempts for this account');

      const found = await repo.findUserForLogin(input.login);
      const isValid = found?.passwordHash
        ? await passwords.verify(input.password, found.passwordHash)
        : await passwords.verifyNothing(input.password);
      if (!found || !isValid) throw new AppError('UNAUTHENTICATED', INVALID_LOGIN);
      await limits.loginByAccount.reset(accountKey);
      return startSession(found.user, meta);
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
      const attempt = await limits.loginByAccount.consume(user.username.toLowerCase());
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
      if (await cache.get(revokedKey(claims.sessionId))) {
        throw new AppError('UNAUTHENTICATED', 'This session was signed out. Please sign in again.');
      }
      return claims;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
