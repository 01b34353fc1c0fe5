import { OAUTH_ERROR_PARAM, type OAuthErrorCode, type OAuthProviderId } from '@gopherchat/api';
import { generateCodeVerifier, generateState } from 'arctic';
import { Elysia } from 'elysia';
import type { Logger } from 'pino';
import { isSameSecret } from '../../lib/same-secret.ts';
import { isPlainHttpLoopback } from '../../origin.ts';
import { clearedOAuthAttemptCookie, oauthAttemptCookie, readOAuthAttemptCookie, refreshCookie } from './cookies.ts';
import type { AuthService } from './service.ts';

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 302, headers });
}

/**
 * Sign-in with GitHub or Google, the way Lucia's guide lays it out: the start
 * route remembers a random state and a PKCE verifier in a short-lived cookie
 * and sends the browser to the provider; the callback accepts the answer only
 * when its state matches that cookie, redeems the code with the verifier, and
 * signs in. Failures land back on the app with an error code, never a trace.
 */
export function createOAuthRoutes(options: {
  auth: AuthService;
  /** PUBLIC_URL; unset means the address the request came to. */
  publicUrl: string | undefined;
  trustProxy: boolean;
  clientIp: (request: Request) => string | null;
  logger: Logger;
}) {
  const { auth, logger } = options;

  function appOrigin(request: Request): string {
    if (options.publicUrl) return options.publicUrl;
    const url = new URL(request.url);
    if (options.trustProxy) {
      const proto = request.headers.get('x-forwarded-proto') ?? url.protocol.replace(':', '');
      const host = request.headers.get('x-forwarded-host') ?? url.host;
      return `${proto}://${host}`;
    }
    return url.origin;
  }

  const redirectUriFor = (request: Request, provider: OAuthProviderId) =>
    `${appOrigin(request)}/auth/oauth/${provider}/callback`;
  const failure = (request: Request, code: OAuthErrorCode, isSecure: boolean) =>
    redirect(`${appOrigin(request)}/?${OAUTH_ERROR_PARAM}=${code}`, [clearedOAuthAttemptCookie({ isSecure })]);
  /** The provider a route parameter names, if this server offers it. */
  const offeredProvider = (name: string) => auth.providerIds().find((id) => id === name);
  const unknownProvider = () =>
    Response.json({ appCode: 'NOT_FOUND', userMessage: 'This server does not offer that sign-in.' }, { status: 404 });

  return new Elysia({ prefix: '/auth/oauth' })
    .get('/:provider', async ({ request, params }) => {
      const provider = offeredProvider(params.provider);
      if (!provider) return unknownProvider();
      const isSecure = !isPlainHttpLoopback(request);
      const attempt = { provider, state: generateState(), codeVerifier: generateCodeVerifier() };
      let url: URL | undefined;
      try {
        url = await auth.providerAuthorizationUrl(provider, {
          state: attempt.state,
          codeVerifier: attempt.codeVerifier,
          redirectUri: redirectUriFor(request, provider),
        });
      } catch (error) {
        logger.warn({ err: error, provider }, 'cannot reach the sign-in provider');
        return failure(request, 'provider_failed', isSecure);
      }
      if (!url) return unknownProvider();
      return redirect(url.toString(), [oauthAttemptCookie(attempt, { isSecure })]);
    })
    .get('/:provider/callback', async ({ request, params }) => {
      const provider = offeredProvider(params.provider);
      if (!provider) return unknownProvider();
      const isSecure = !isPlainHttpLoopback(request);
      const query = new URL(request.url).searchParams;
      // The attempt cookie is single-use: every answer below clears it.
      const attempt = readOAuthAttemptCookie(request.headers.get('cookie'));
      const providerError = query.get('error');
      if (providerError) {
        logger.info({ provider, providerError }, 'provider sign-in not granted');
        return failure(request, providerError === 'access_denied' ? 'denied' : 'provider_failed', isSecure);
      }
      const code = query.get('code');
      const state = query.get('state');
      if (!attempt || !code || !state || attempt.provider !== provider || !isSameSecret(attempt.state, state)) {
        logger.warn({ provider, hasAttempt: attempt !== undefined }, 'provider callback with a foreign or stale state');
        return failure(request, 'state_mismatch', isSecure);
      }
      const outcome = await auth.completeProviderSignIn(
        provider,
        { code, codeVerifier: attempt.codeVerifier, redirectUri: redirectUriFor(request, provider) },
        { ip: options.clientIp(request), userAgent: request.headers.get('user-agent') },
      );
      if (outcome.kind === 'refused') return failure(request, outcome.reason, isSecure);
      // The web app finds the new refresh cookie when it loads and restores the session from it.
      return redirect(`${appOrigin(request)}/`, [
        clearedOAuthAttemptCookie({ isSecure }),
        refreshCookie(outcome.issued.refreshToken, outcome.issued.refreshTokenExpiresAt, { isSecure, now: Date.now() }),
      ]);
    });
}
