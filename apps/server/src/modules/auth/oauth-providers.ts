import type { OAuthProviderId } from '@gopherchat/api';
import { CodeChallengeMethod, OAuth2Client, OAuth2RequestError } from 'arctic';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import type { OAuthConfig } from '../../env.ts';

/** Who the provider says signed in. */
export interface OAuthProfile {
  provider: OAuthProviderId;
  providerUserId: string;
  /** Only an address the provider has verified; null when it has none. */
  verifiedEmail: string | null;
  /** A handle to derive a username from (GitHub login, email local part). */
  preferredUsername: string;
  displayName: string | null;
}

/** The provider refused or failed the exchange: the person should simply try again. */
export class OAuthExchangeError extends Error {
  override name = 'OAuthExchangeError';
}

export interface OAuthProvider {
  id: OAuthProviderId;
  /** Where to send the browser, with the state and the PKCE challenge of this attempt. */
  authorizationUrl(input: { state: string; codeVerifier: string; redirectUri: string }): Promise<URL>;
  /** Redeems the authorization code (with the PKCE verifier) and reads the profile. */
  profileFor(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<OAuthProfile>;
}

const PROVIDER_TIMEOUT_MS = 10_000;

async function redeem(client: OAuth2Client, tokenEndpoint: string, code: string, codeVerifier: string) {
  try {
    return await client.validateAuthorizationCode(tokenEndpoint, code, codeVerifier);
  } catch (error) {
    const detail = error instanceof OAuth2RequestError ? `${error.code}: ${error.description ?? ''}` : String(error);
    throw new OAuthExchangeError(`authorization code refused (${detail})`, { cause: error });
  }
}

async function getJson(url: string, accessToken: string): Promise<unknown> {
  const response = await fetch(url, {
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: 'application/vnd.github+json',
      'user-agent': 'GopherChat',
    },
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  });
  if (!response.ok) throw new OAuthExchangeError(`${url} answered ${response.status}`);
  return response.json();
}

const ZGitHubUser = z.object({ id: z.number(), login: z.string(), name: z.string().nullable().optional() });
const ZGitHubEmails = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

/**
 * GitHub (or GitHub Enterprise): plain OAuth 2.0, so the identity comes from
 * its REST API. GitHub accepts PKCE, and we always send it.
 */
function gitHubProvider(config: NonNullable<OAuthConfig['github']>): OAuthProvider {
  const authorizationEndpoint = `${config.webUrl}/login/oauth/authorize`;
  const tokenEndpoint = `${config.webUrl}/login/oauth/access_token`;
  const client = (redirectUri: string) => new OAuth2Client(config.clientId, config.clientSecret, redirectUri);
  return {
    id: 'github',
    async authorizationUrl({ state, codeVerifier, redirectUri }) {
      return client(redirectUri).createAuthorizationURLWithPKCE(
        authorizationEndpoint,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        ['read:user', 'user:email'],
      );
    },
    async profileFor({ code, codeVerifier, redirectUri }) {
      const tokens = await redeem(client(redirectUri), tokenEndpoint, code, codeVerifier);
      const [user, emails] = await Promise.all([
        getJson(`${config.apiUrl}/user`, tokens.accessToken()).then((body) => ZGitHubUser.parse(body)),
        getJson(`${config.apiUrl}/user/emails`, tokens.accessToken()).then((body) => ZGitHubEmails.parse(body)),
      ]);
      const verified = emails.filter((entry) => entry.verified);
      const email = verified.find((entry) => entry.primary) ?? verified[0];
      return {
        provider: 'github',
        providerUserId: String(user.id),
        verifiedEmail: email?.email ?? null,
        preferredUsername: user.login,
        displayName: user.name ?? null,
      };
    },
  };
}

const ZDiscovery = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
});

const ZGoogleClaims = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
});

/**
 * Google through OpenID Connect: endpoints and signing keys come from the
 * issuer's discovery document (fetched once, again after a failure), and the
 * ID token is verified (signature, issuer, audience, expiry) before any
 * claim in it is believed.
 */
function googleProvider(config: NonNullable<OAuthConfig['google']>): OAuthProvider {
  let discovery: Promise<{ metadata: z.infer<typeof ZDiscovery>; keys: ReturnType<typeof createRemoteJWKSet> }> | null =
    null;
  const discover = () => {
    discovery ??= fetch(`${config.issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    })
      .then(async (response) => {
        if (!response.ok) throw new OAuthExchangeError(`discovery answered ${response.status}`);
        const metadata = ZDiscovery.parse(await response.json());
        return { metadata, keys: createRemoteJWKSet(new URL(metadata.jwks_uri)) };
      })
      .catch((error) => {
        discovery = null;
        throw error instanceof OAuthExchangeError
          ? error
          : new OAuthExchangeError('discovery failed', { cause: error });
      });
    return discovery;
  };
  const client = (redirectUri: string) => new OAuth2Client(config.clientId, config.clientSecret, redirectUri);
  return {
    id: 'google',
    async authorizationUrl({ state, codeVerifier, redirectUri }) {
      const { metadata } = await discover();
      return client(redirectUri).createAuthorizationURLWithPKCE(
        metadata.authorization_endpoint,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        ['openid', 'email', 'profile'],
      );
    },
    async profileFor({ code, codeVerifier, redirectUri }) {
      const { metadata, keys } = await discover();
      const tokens = await redeem(client(redirectUri), metadata.token_endpoint, code, codeVerifier);
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(tokens.idToken(), keys, {
          issuer: metadata.issuer,
          audience: config.clientId,
          algorithms: ['RS256', 'ES256'],
        }));
      } catch (error) {
        throw new OAuthExchangeError('ID token rejected', { cause: error });
      }
      const claims = ZGoogleClaims.parse(payload);
      const verifiedEmail = claims.email && claims.email_verified === true ? claims.email : null;
      return {
        provider: 'google',
        providerUserId: claims.sub,
        verifiedEmail,
        preferredUsername: claims.email?.split('@')[0] ?? claims.name ?? 'user',
        displayName: claims.name ?? null,
      };
    },
  };
}

/** The providers this deployment has credentials for, by id. */
export function configuredOAuthProviders(config: OAuthConfig): ReadonlyMap<OAuthProviderId, OAuthProvider> {
  const providers = new Map<OAuthProviderId, OAuthProvider>();
  if (config.github) providers.set('github', gitHubProvider(config.github));
  if (config.google) providers.set('google', googleProvider(config.google));
  return providers;
}
