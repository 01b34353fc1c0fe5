import type { OAuthProviderId } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { AuthConfig } from '../../env.ts';
import type { Bus } from '../../platform/bus/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { AuthKeys } from './keys.ts';
import type { OAuthProvider } from './oauth-providers.ts';
import { createPasswordSignIn } from './password-sign-in.ts';
import type { PasswordHasher } from './passwords.ts';
import { createProviderSignIn } from './provider-sign-in.ts';
import type { AuthRepo } from './repo.ts';
import { createSessions } from './sessions.ts';

export type { IssuedSession, RequestMeta } from './sessions.ts';

/** Accounts and sessions: signing in with a password or a provider, and the sessions that follow. */
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
  const { repo, clock, limits, logger } = deps;
  const sessions = createSessions(deps);
  const { start: startSession, announceRevoked } = sessions;
  const passwordSignIn = createPasswordSignIn({
    repo,
    passwords: deps.passwords,
    clock,
    limits,
    startSession,
    announceRevoked,
    logger,
  });
  const providerSignIn = createProviderSignIn({
    repo,
    clock,
    loginByIp: limits.loginByIp,
    providers: deps.providers,
    startSession,
    announceRevoked,
    logger,
  });

  return {
    register: passwordSignIn.register,
    login: passwordSignIn.login,
    changePassword: passwordSignIn.changePassword,
    providerIds: providerSignIn.providerIds,
    providerAuthorizationUrl: providerSignIn.providerAuthorizationUrl,
    completeProviderSignIn: providerSignIn.completeProviderSignIn,
    signInMethods: providerSignIn.signInMethods,
    refresh: sessions.refresh,
    logout: sessions.logout,
    logoutEverywhere: sessions.logoutEverywhere,
    revokeSession: sessions.revokeSession,
    listSessions: sessions.listSessions,
    me: sessions.me,
    pruneDeadSessions: sessions.pruneDeadSessions,
    authenticate: sessions.authenticate,
    watchRevocations: sessions.watchRevocations,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
