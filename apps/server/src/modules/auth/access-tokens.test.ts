import { describe, expect, it } from 'bun:test';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { exportJWK, SignJWT } from 'jose';
import { AppError } from '../../errors.ts';
import { createManualClock } from '../../platform/clock/index.ts';
import { testLogger } from '../../testing/logger.ts';
import { ACCESS_TOKEN_AUDIENCE, createAccessTokens } from './access-tokens.ts';
import { generateStoredKeys, loadAuthKeys } from './keys.ts';

const ISSUER = 'gopherchat-test';
const claims = { userId: '01900000-0000-7000-8000-000000000001', sessionId: '01900000-0000-7000-8000-000000000002' };

async function keysFor() {
  const stored = await generateStoredKeys();
  return loadAuthKeys({ jwtPrivateJwk: JSON.stringify(stored.jwk), secret: stored.secret }, '/nonexistent', testLogger);
}

async function setUp() {
  const clock = createManualClock(Date.UTC(2026, 10, 24, 12));
  const keys = await keysFor();
  const tokens = createAccessTokens({ keys, issuer: ISSUER, ttlMs: 15 * 60_000, clock });
  /** Signs arbitrary claims and header with the real private key. */
  const forge = (overrides: Record<string, unknown>, header: Record<string, unknown> = {}) => {
    const now = Math.floor(clock.now() / 1000);
    const payload = {
      sub: claims.userId,
      sid: claims.sessionId,
      typ: 'access',
      iss: ISSUER,
      aud: ACCESS_TOKEN_AUDIENCE,
      iat: now,
      nbf: now,
      exp: now + 600,
      ...overrides,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', ...header }).sign(keys.privateKey);
  };
  return { clock, keys, tokens, forge };
}

async function expectRefused(promise: Promise<unknown>) {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('UNAUTHENTICATED');
}

const encodeJson = (value: unknown) => encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(value)));

describe('access tokens', () => {
  it('round-trips the claims of a token it issued', async () => {
    const { tokens } = await setUp();
    const { token, expiresAt } = await tokens.issue(claims);
    expect(await tokens.verify(token)).toEqual({ ...claims, expiresAt: expiresAt.getTime() });
    expect(expiresAt.toISOString()).toBe('2026-11-24T12:15:00.000Z');
  });

  it('refuses alg "none"', async () => {
    const { tokens } = await setUp();
    const { token } = await tokens.issue(claims);
    const [, payload] = token.split('.');
    await expectRefused(tokens.verify(`${encodeJson({ alg: 'none', typ: 'at+jwt' })}.${payload}.`));
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const { tokens, keys } = await setUp();
    const publicJwk = await exportJWK(keys.publicKey);
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const now = Math.floor(Date.UTC(2026, 10, 24, 12) / 1000);
    const forged = await new SignJWT({ sid: claims.sessionId, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 600)
      .sign(secret);
    await expectRefused(tokens.verify(forged));
  });

  it('refuses a token signed by another key', async () => {
    const { tokens } = await setUp();
    const other = await setUp();
    await expectRefused(tokens.verify((await other.tokens.issue(claims)).token));
  });

  it('refuses a tampered payload', async () => {
    const { tokens } = await setUp();
    const [header, , signature] = (await tokens.issue(claims)).token.split('.');
    const payload = encodeJson({ sub: 'someone-else', sid: claims.sessionId, typ: 'access' });
    await expectRefused(tokens.verify(`${header}.${payload}.${signature}`));
  });

  it('refuses the wrong audience, issuer, header type or token type', async () => {
    const { tokens, forge } = await setUp();
    expect(await tokens.verify(await forge({}))).toMatchObject(claims); // the forger itself is sound
    await expectRefused(tokens.verify(await forge({ aud: 'another-api' })));
    await expectRefused(tokens.verify(await forge({ iss: 'someone-else' })));
    await expectRefused(tokens.verify(await forge({}, { typ: 'JWT' })));
    await expectRefused(tokens.verify(await forge({ typ: 'refresh' })));
    await expectRefused(tokens.verify(await forge({ sid: undefined })));
  });

  it('refuses an expired token, and one not valid yet', async () => {
    const { tokens, clock, forge } = await setUp();
    const { token } = await tokens.issue(claims);
    clock.advance(15 * 60_000 + 10_000);
    const expired = await tokens.verify(token).catch((error: unknown) => error);
    expect((expired as AppError).userMessage).toBe('Your session has expired. Please sign in again.');
    const future = Math.floor(clock.now() / 1000) + 3600;
    await expectRefused(tokens.verify(await forge({ nbf: future })));
  });

  it('still refuses a remembered token once it has expired', async () => {
    const { tokens, clock } = await setUp();
    const { token } = await tokens.issue(claims);
    await tokens.verify(token); // now remembered
    clock.advance(15 * 60_000 + 10_000);
    await expectRefused(tokens.verify(token));
  });

  it('refuses garbage', async () => {
    const { tokens } = await setUp();
    await expectRefused(tokens.verify('not-a-jwt'));
    await expectRefused(tokens.verify(''));
  });
});
