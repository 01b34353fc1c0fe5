import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { sessions } from '@gopherchat/db';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../env.ts';
import { AppError } from '../../errors.ts';
import { createMemoryBus } from '../../platform/bus/memory-bus.ts';
import { createMemoryCache } from '../../platform/cache/index.ts';
import { createManualClock } from '../../platform/clock/index.ts';
import { createMemoryRateLimiters } from '../../platform/rate-limit/index.ts';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { testLogger } from '../../testing/logger.ts';
import { createAccessTokens } from './access-tokens.ts';
import { generateStoredKeys, loadAuthKeys } from './keys.ts';
import { createPasswordHasher } from './passwords.ts';
import { createAuthRepo } from './repo.ts';
import { createAuthService } from './service.ts';

const HOUR = 60 * 60 * 1000;
const meta = { ip: '192.0.2.1', userAgent: 'ServiceTest/1.0' };

/**
 * Expiry rules, on the real database with a clock the test moves: what
 * would take days of waiting takes a line here.
 */
describe('AuthService session lifetimes', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;

  beforeAll(async () => {
    database = await openMigratedTestDatabase('auth_service');
  });

  afterAll(async () => {
    await database.close();
  });

  async function createService(env: Record<string, string>, passwords = createPasswordHasher({ cost: 4 })) {
    const stored = await generateStoredKeys();
    const config = loadConfig({ JWT_PRIVATE_JWK: JSON.stringify(stored.jwk), AUTH_SECRET: stored.secret, ...env }).auth;
    const clock = createManualClock(Date.UTC(2026, 10, 24, 9));
    const keys = await loadAuthKeys(config, '/nonexistent', testLogger);
    const limiters = createMemoryRateLimiters();
    const service = createAuthService({
      repo: createAuthRepo(database.db),
      passwords,
      accessTokens: createAccessTokens({ keys, issuer: config.issuer, ttlMs: config.accessTokenTtlMs, clock }),
      keys,
      cache: createMemoryCache(clock),
      bus: createMemoryBus(testLogger),
      clock,
      limits: {
        loginByIp: limiters({ name: 'ip', points: 1000, windowSeconds: 60 }),
        loginByAccount: limiters({ name: 'account', points: 1000, windowSeconds: 60 }),
        registerByIp: limiters({ name: 'register', points: 1000, windowSeconds: 60 }),
      },
      providers: new Map(),
      config,
      logger: testLogger,
    });
    return { service, clock };
  }

  const username = () => `life${crypto.randomUUID().slice(0, 8)}`;
  const register = (service: Awaited<ReturnType<typeof createService>>['service'], name: string) =>
    service.register({ username: name, email: `${name}@example.com`, password: 'velvet-harbor-quartz-71' }, meta);

  async function expectSessionEnded(promise: Promise<unknown>) {
    const error = await promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('UNAUTHENTICATED');
  }

  it('verifies a password for a sign-in with a name no account has, as for a wrong password (timing must not tell them apart)', async () => {
    const real = createPasswordHasher({ cost: 4 });
    const verifications: string[] = [];
    const counting = {
      ...real,
      verify: (password: string, hash: string) => {
        verifications.push('account');
        return real.verify(password, hash);
      },
      verifyNothing: (password: string) => {
        verifications.push('nothing');
        return real.verifyNothing(password);
      },
    };
    const { service } = await createService({}, counting);
    const name = username();
    await register(service, name);
    await expectSessionEnded(service.login({ login: name, password: 'not-the-password-123' }, meta));
    await expectSessionEnded(service.login({ login: `${name}x`, password: 'not-the-password-123' }, meta));
    expect(verifications).toEqual(['account', 'nothing']);
  });

  it('ends a sign-in at its absolute cap, however often it is refreshed', async () => {
    const { service, clock } = await createService({ SESSION_MAX_AGE_DAYS: '1', REFRESH_TOKEN_IDLE_DAYS: '30' });
    let issued = await register(service, username());
    for (let step = 0; step < 3; step++) {
      clock.advance(7 * HOUR);
      issued = await service.refresh(issued.refreshToken, meta);
      // Rotated tokens never outlive the family.
      expect(issued.refreshTokenExpiresAt.getTime()).toBeLessThanOrEqual(Date.UTC(2026, 10, 25, 9));
    }
    clock.advance(4 * HOUR); // 25 h after signing in
    await expectSessionEnded(service.refresh(issued.refreshToken, meta));
  });

  it('ends a sign-in left unused for longer than the idle lifetime', async () => {
    const { service, clock } = await createService({ SESSION_MAX_AGE_DAYS: '90', REFRESH_TOKEN_IDLE_DAYS: '2' });
    const issued = await register(service, username());
    clock.advance(47 * HOUR);
    const refreshed = await service.refresh(issued.refreshToken, meta);
    clock.advance(49 * HOUR);
    await expectSessionEnded(service.refresh(refreshed.refreshToken, meta));
  });

  it('gives the same child token to a replay within the grace interval, and revokes after it', async () => {
    const { service, clock } = await createService({ REFRESH_REUSE_GRACE_SECONDS: '30' });
    const issued = await register(service, username());
    const first = await service.refresh(issued.refreshToken, meta);
    clock.advance(10_000);
    const replay = await service.refresh(issued.refreshToken, meta);
    expect(replay.refreshToken).toBe(first.refreshToken);
    clock.advance(30_000); // 40 s after the rotation
    await expectSessionEnded(service.refresh(issued.refreshToken, meta));
    await expectSessionEnded(service.refresh(first.refreshToken, meta));
  });

  it('prunes sign-ins that ended over a week ago, and only those', async () => {
    const { service, clock } = await createService({ SESSION_MAX_AGE_DAYS: '1' });
    const ended = await register(service, username());
    clock.advance(3 * 24 * HOUR);
    const live = await register(service, username());
    clock.advance(6 * 24 * HOUR); // the first ended 8 days ago; the second 5 days ago
    expect(await service.pruneDeadSessions()).toBeGreaterThanOrEqual(1);
    const rowsOf = (userId: string) =>
      database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
    expect(await rowsOf(ended.signedIn.user.id)).toHaveLength(0);
    expect(await rowsOf(live.signedIn.user.id)).toHaveLength(1);
  });

  it('refuses a revoked session’s access token at once, though it has not expired', async () => {
    const { service } = await createService({});
    const issued = await register(service, username());
    const claims = await service.authenticate(issued.signedIn.accessToken);
    await service.logoutEverywhere(claims.userId);
    await expectSessionEnded(service.authenticate(issued.signedIn.accessToken));
  });
});
