import type { ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { OAuth2Server } from 'oauth2-mock-server';

/** The person the stand-in provider says signed in. */
export interface ProviderIdentity {
  /** GitHub's numeric user id (as a string) or Google's `sub`. */
  subject: string;
  email: string | null;
  isEmailVerified: boolean;
  /** GitHub login; ignored for Google. */
  login: string;
  name: string | null;
}

export interface FakeProvider extends AsyncDisposable {
  /** The server env that points GopherChat at this provider. */
  env: Record<string, string>;
  /** Who the next authorization signs in as (bound to the code it issues). */
  signInAs(identity: ProviderIdentity): void;
  /** Every authorization request the provider received, as sent. */
  authorizationRequests: URL[];
}

const CLIENT_ID = 'gopherchat-test-client';
const CLIENT_SECRET = 'gopherchat-test-secret';

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * A real OAuth 2.0 / OpenID Connect server (oauth2-mock-server) standing in
 * for GitHub or Google: it issues codes, checks PKCE, and signs tokens with
 * its own keys. For GitHub it also serves `/user` and `/user/emails`,
 * answering only for access tokens it signed itself.
 *
 * It listens on 127.0.0.1 while the app under test is reached as
 * `localhost`, so a browser treats the round trip as cross-site, as it is
 * with the real providers.
 */
export async function startFakeProvider(kind: 'github' | 'google'): Promise<FakeProvider> {
  const server = new OAuth2Server(
    undefined,
    undefined,
    kind === 'github' ? { endpoints: { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' } } : {},
  );
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.address().port}`;
  server.issuer.url = url;

  let nextIdentity: ProviderIdentity | undefined;
  const identityByCode = new Map<string, ProviderIdentity>();
  const authorizationRequests: URL[] = [];

  server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, request: { url?: string }) => {
    authorizationRequests.push(new URL(request.url ?? '/', url));
    const code = redirect.url.searchParams.get('code');
    if (code && nextIdentity) identityByCode.set(code, nextIdentity);
  });
  server.service.on(
    'beforeTokenSigning',
    (token: { payload: Record<string, unknown> }, request: { body?: Record<string, unknown> }) => {
      const identity = identityByCode.get(String(request.body?.code));
      if (!identity) return;
      Object.assign(token.payload, {
        sub: identity.subject,
        ...(identity.email === null ? {} : { email: identity.email, email_verified: identity.isEmailVerified }),
        ...(identity.name === null ? {} : { name: identity.name }),
        // Carried in GitHub's access token so its API stand-in can answer.
        github: { login: identity.login },
      });
    },
  );

  if (kind === 'github') {
    const keys = createLocalJWKSet({ keys: server.issuer.keys.toJSON() });
    const bearerClaims = async (request: { headers: Record<string, string | string[] | undefined> }) => {
      const match = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''));
      if (!match?.[1]) return undefined;
      try {
        return (await jwtVerify(match[1], keys, { issuer: url })).payload;
      } catch {
        return undefined;
      }
    };
    server.service.addRoute('GET', '/user', async (request, response) => {
      const claims = await bearerClaims(request);
      if (!claims) return sendJson(response, 401, { message: 'Bad credentials' });
      const { login } = claims.github as { login: string };
      sendJson(response, 200, { id: Number(claims.sub), login, name: claims.name ?? null });
    });
    server.service.addRoute('GET', '/user/emails', async (request, response) => {
      const claims = await bearerClaims(request);
      if (!claims) return sendJson(response, 401, { message: 'Bad credentials' });
      const emails = claims.email ? [{ email: claims.email, primary: true, verified: claims.email_verified }] : [];
      sendJson(response, 200, emails);
    });
  }

  const env: Record<string, string> =
    kind === 'github'
      ? { GITHUB_CLIENT_ID: CLIENT_ID, GITHUB_CLIENT_SECRET: CLIENT_SECRET, GITHUB_URL: url, GITHUB_API_URL: url }
      : { GOOGLE_CLIENT_ID: CLIENT_ID, GOOGLE_CLIENT_SECRET: CLIENT_SECRET, GOOGLE_ISSUER: url };

  return {
    env,
    authorizationRequests,
    signInAs(identity) {
      nextIdentity = identity;
    },
    async [Symbol.asyncDispose]() {
      await server.stop();
    },
  };
}
