import {
  DISPLAY_NAME_MAX_LENGTH,
  OAUTH_PROVIDERS,
  type OAuthErrorCode,
  type OAuthProviderId,
  type SignInMethods,
  toStorableText,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from '@gopherchat/api';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { violatedUniqueConstraint } from '../../platform/database/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import { OAuthExchangeError, type OAuthProfile, type OAuthProvider } from './oauth-providers.ts';
import type { AuthRepo, UserRow } from './repo.ts';
import type { IssuedSession, RequestMeta } from './sessions.ts';

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

/** Signing in through a provider (OAuth), and linking the identities it vouches for to accounts. */
export function createProviderSignIn(deps: {
  repo: AuthRepo;
  clock: Clock;
  /** Sign-ins per network, shared with password sign-ins. */
  loginByIp: RateLimiter;
  /** Sign-in providers this deployment has credentials for. */
  providers: ReadonlyMap<OAuthProviderId, OAuthProvider>;
  startSession: (user: UserRow, meta: RequestMeta) => Promise<IssuedSession>;
  announceRevoked: (sessionIds: string[]) => Promise<void>;
  logger: Logger;
}) {
  const { repo, clock, loginByIp, providers, startSession, announceRevoked, logger } = deps;
  const now = () => new Date(clock.now());

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
      const byIp = await loginByIp.consume(meta.ip ?? 'unknown');
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

    /** The ways into the account: its password, if it has one, and the providers linked to it. */
    async signInMethods(userId: string): Promise<SignInMethods> {
      const rows = await repo.listCredentials(userId);
      const linked = new Set(rows.map((row) => row.provider));
      return {
        hasPassword: rows.some((row) => row.kind === 'password'),
        providers: OAUTH_PROVIDERS.filter((provider: OAuthProviderId) => linked.has(provider)),
      };
    },
  };
}
