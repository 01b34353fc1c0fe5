import type { Me, SessionInfo, SignedIn } from '@gopherchat/api';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { AuthConfig } from '../../env.ts';
import { AppError } from '../../errors.ts';
import type { Bus } from '../../platform/bus/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { statusFieldOf } from '../users/index.ts';
import type { AccessClaims, AccessTokens, VerifiedAccess } from './access-tokens.ts';
import type { AuthKeys } from './keys.ts';
import { hashRefreshToken, newRefreshToken, nextRefreshToken } from './refresh-tokens.ts';
import type { AuthRepo, SessionRow, UserRow } from './repo.ts';

/** Published with `{ sessionIds }` when sessions are revoked: every instance closes their sockets. */
export const SESSION_REVOKED_TOPIC = 'auth.session-revoked';

/** What a revocation message carries (see `announceRevoked`). */
const ZRevokedSessions = z.object({ sessionIds: z.array(z.string()) });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

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
    ...statusFieldOf(user),
    createdAt: user.createdAt.toISOString(),
    role: user.role,
  };
}

/**
 * Sessions once someone has signed in: each is a family of refresh tokens,
 * rotated on every refresh, revoked whole; access tokens are checked
 * against revocations on every request.
 */
export function createSessions(deps: {
  repo: AuthRepo;
  accessTokens: AccessTokens;
  keys: AuthKeys;
  cache: Cache;
  bus: Bus;
  clock: Clock;
  config: AuthConfig;
  logger: Logger;
}) {
  const { repo, accessTokens, keys, cache, bus, clock, config, logger } = deps;
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

  /**
   * Calls `onRevoked` with the sessions any instance revokes, until `signal`
   * aborts. Resolves once listening; a message that is not a list of
   * session ids is logged and dropped, never thrown into the bus.
   */
  function watchRevocations(onRevoked: (sessionIds: string[]) => void, signal: AbortSignal): Promise<void> {
    return bus.subscribe(
      SESSION_REVOKED_TOPIC,
      {
        onMessage: (payload) => {
          const revoked = ZRevokedSessions.safeParse(parseJson(payload));
          if (revoked.success) onRevoked(revoked.data.sessionIds);
          else logger.warn({ payload: payload.slice(0, 200) }, 'unreadable session revocation dropped');
        },
      },
      signal,
    );
  }

  return {
    /** A new session (a new family of refresh tokens) for someone who has just proved who they are. */
    start: startSession,
    announceRevoked,
    watchRevocations,

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
