import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { AuthKeys } from './keys.ts';

export const ACCESS_TOKEN_AUDIENCE = 'gopherchat-api';
/** RFC 9068's media type for JWT access tokens, in the `typ` header. */
const ACCESS_TOKEN_HEADER_TYPE = 'at+jwt';
const ACCESS_TOKEN_CLAIM_TYPE = 'access';
const CLOCK_TOLERANCE_SECONDS = 5;

export interface AccessClaims {
  userId: string;
  /** The session (refresh-token family) the token was issued for. */
  sessionId: string;
}

/** Verified claims, with when the token stops being valid. */
export interface VerifiedAccess extends AccessClaims {
  /** Epoch milliseconds. */
  expiresAt: number;
}

export const sessionExpiredError = () =>
  new AppError('UNAUTHENTICATED', 'Your session has expired. Please sign in again.');

/**
 * Short-lived JWT access tokens. Only EdDSA is accepted on the way in, so
 * `alg: none`, HMAC with the public key as secret and every other algorithm
 * confusion fail before any claim is read.
 */
/** Verified tokens remembered per instance; a client reuses its token for every call until it refreshes. */
const VERIFIED_MEMO_SIZE = 10_000;

export function createAccessTokens(options: { keys: AuthKeys; issuer: string; ttlMs: number; clock: Clock }) {
  const { keys, issuer, ttlMs, clock } = options;
  // Signature and claims of a given token string never change, so a token
  // verified once only needs its expiry checked again. Insertion order makes
  // the Map a FIFO: the oldest entry goes first when it is full.
  const verified = new Map<string, VerifiedAccess>();

  return {
    async issue(claims: AccessClaims): Promise<{ token: string; expiresAt: Date }> {
      const issuedAt = Math.floor(clock.now() / 1000);
      const expiresAt = issuedAt + Math.floor(ttlMs / 1000);
      const token = await new SignJWT({ sid: claims.sessionId, typ: ACCESS_TOKEN_CLAIM_TYPE })
        .setProtectedHeader({ alg: 'EdDSA', typ: ACCESS_TOKEN_HEADER_TYPE, kid: keys.kid })
        .setSubject(claims.userId)
        .setIssuer(issuer)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(crypto.randomUUID())
        .sign(keys.privateKey);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },

    /** The claims of a valid token; UNAUTHENTICATED for anything else. */
    async verify(token: string): Promise<VerifiedAccess> {
      const remembered = verified.get(token);
      if (remembered) {
        if (clock.now() < remembered.expiresAt + CLOCK_TOLERANCE_SECONDS * 1000) return remembered;
        verified.delete(token);
        throw sessionExpiredError();
      }
      try {
        const { payload } = await jwtVerify(token, keys.publicKey, {
          algorithms: ['EdDSA'],
          issuer,
          audience: ACCESS_TOKEN_AUDIENCE,
          typ: ACCESS_TOKEN_HEADER_TYPE,
          requiredClaims: ['sub', 'sid', 'exp', 'nbf', 'iat'],
          currentDate: new Date(clock.now()),
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        if (
          payload.typ !== ACCESS_TOKEN_CLAIM_TYPE ||
          typeof payload.sid !== 'string' ||
          !payload.sub ||
          payload.exp === undefined
        ) {
          throw new AppError('UNAUTHENTICATED', 'This is not an access token.');
        }
        const claims = { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
        if (verified.size >= VERIFIED_MEMO_SIZE) verified.delete(verified.keys().next().value as string);
        verified.set(token, claims);
        return claims;
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof errors.JWTExpired) throw sessionExpiredError();
        throw new AppError('UNAUTHENTICATED', 'Your sign-in is not valid. Please sign in again.', { cause: error });
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
