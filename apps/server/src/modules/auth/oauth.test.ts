import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { CSRF_HEADER, REFRESH_COOKIE, type SignedIn, type SignInMethods } from '@gopherchat/api';
import { createGopherClient, toAppError } from '@gopherchat/sdk';
import { registerAccount, TEST_PASSWORD } from '../../testing/accounts.ts';
import { type FakeProvider, type ProviderIdentity, startFakeProvider } from '../../testing/oauth-provider.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

function cookieValue(setCookies: string[], name: string): string | undefined {
  for (const cookie of setCookies) {
    const match = new RegExp(`^${name}=([^;]*)`).exec(cookie);
    if (match) return match[1];
  }
  return undefined;
}

/** Where a sign-in with a provider ended: the app's landing URL and the refresh token, if one was issued. */
interface Landing {
  location: URL;
  refreshToken: string | undefined;
  setCookies: string[];
}

/**
 * Walks the redirects a browser would follow: the app's start route, the
 * provider's authorization endpoint, and the app's callback, carrying the
 * attempt cookie. `tamper` may rewrite the callback request first.
 */
async function signInThroughProvider(
  server: TestServer,
  provider: 'github' | 'google',
  tamper: (callback: { url: URL; cookie: string }) => void = () => {},
): Promise<Landing> {
  const start = await fetch(new URL(`/auth/oauth/${provider}`, server.url), { redirect: 'manual' });
  expect(start.status).toBe(302);
  const attempt = cookieValue(start.headers.getSetCookie(), 'gc_oauth');
  const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = { url: new URL(authorize.headers.get('location') ?? ''), cookie: `gc_oauth=${attempt}` };
  tamper(callback);
  const landing = await fetch(callback.url, { redirect: 'manual', headers: { cookie: callback.cookie } });
  expect(landing.status).toBe(302);
  const setCookies = landing.headers.getSetCookie();
  return {
    location: new URL(landing.headers.get('location') ?? ''),
    refreshToken: cookieValue(setCookies, REFRESH_COOKIE) || undefined,
    setCookies,
  };
}

/** Exchanges a refresh token as the web app does on load. */
async function restore(server: TestServer, refreshToken: string): Promise<{ status: number; body: SignedIn }> {
  const response = await fetch(new URL('/auth/refresh', server.url), {
    method: 'POST',
    headers: { [CSRF_HEADER]: '1', origin: server.url.origin, cookie: `${REFRESH_COOKIE}=${refreshToken}` },
  });
  return { status: response.status, body: (await response.json()) as SignedIn };
}

async function signedInAs(server: TestServer, landing: Landing) {
  expect(landing.location.pathname).toBe('/');
  expect(landing.location.search).toBe('');
  expect(landing.refreshToken).toBeDefined();
  const restored = await restore(server, landing.refreshToken ?? '');
  expect(restored.status).toBe(200);
  const client = createGopherClient({ url: server.url, accessToken: () => restored.body.accessToken });
  const methods: SignInMethods = await client.api.auth.signInMethods.query();
  await client.close();
  return { user: restored.body.user, methods };
}

const unique = () => crypto.randomUUID().slice(0, 8);
const githubIdentity = (overrides: Partial<ProviderIdentity> = {}): ProviderIdentity => ({
  subject: String(Math.floor(Math.random() * 1e9)),
  email: `gh${unique()}@example.com`,
  isEmailVerified: true,
  login: `octo${unique()}`,
  name: 'Octo Cat',
  ...overrides,
});

describe('sign-in with providers (against a local OAuth2 / OIDC server)', () => {
  let github: FakeProvider;
  let google: FakeProvider;
  let server: TestServer;

  beforeAll(async () => {
    github = await startFakeProvider('github');
    google = await startFakeProvider('google');
    server = await startTestServer({ label: 'oauth', env: { ...github.env, ...google.env } });
  });

  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
    await github?.[Symbol.asyncDispose]();
    await google?.[Symbol.asyncDispose]();
  });

  it('lists the configured providers and refuses others', async () => {
    expect(await server.client.api.auth.providers.query()).toEqual(['github', 'google']);
    const unknown = await fetch(new URL('/auth/oauth/facebook', server.url), { redirect: 'manual' });
    expect(unknown.status).toBe(404);
  });

  it('creates an account from a GitHub identity, using state and PKCE (S256), and signs it in again later', async () => {
    const identity = githubIdentity();
    github.signInAs(identity);
    const landing = await signInThroughProvider(server, 'github');
    const request = github.authorizationRequests.at(-1);
    expect(request?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request?.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(request?.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(request?.searchParams.get('redirect_uri')).toBe(new URL('/auth/oauth/github/callback', server.url).href);
    const attemptCookie = landing.setCookies.find((cookie) => cookie.startsWith('gc_oauth='));
    expect(attemptCookie).toContain('Max-Age=0');

    const first = await signedInAs(server, landing);
    expect(first.user).toMatchObject({ username: identity.login, email: identity.email, displayName: 'Octo Cat' });
    expect(first.methods).toEqual({ hasPassword: false, providers: ['github'] });

    github.signInAs(identity);
    const again = await signedInAs(server, await signInThroughProvider(server, 'github'));
    expect(again.user.id).toBe(first.user.id);
  });

  it('creates an account from a Google ID token whose signature, issuer and audience check out', async () => {
    const email = `g${unique()}@example.com`;
    google.signInAs({ subject: `google-${unique()}`, email, isEmailVerified: true, login: '', name: 'Ada Google' });
    const { user, methods } = await signedInAs(server, await signInThroughProvider(server, 'google'));
    expect(user.email).toBe(email);
    expect(user.username).toBe(email.split('@')[0] ?? '');
    expect(user.displayName).toBe('Ada Google');
    expect(methods.providers).toEqual(['google']);
  });

  it('stores a provider name PostgreSQL could not store, cleaned, instead of failing the sign-in', async () => {
    // A NUL, and an emoji cut in half by the display name's 64-character limit.
    const name = `Octo\u0000 ${'x'.repeat(57)}😀`;
    const identity = githubIdentity({ name });
    github.signInAs(identity);
    const { user } = await signedInAs(server, await signInThroughProvider(server, 'github'));
    expect(user.displayName).toBe(`Octo ${'x'.repeat(57)}😀`);
  });

  it('links a provider to the account with the same verified email, in any letter case', async () => {
    const identity = githubIdentity();
    github.signInAs(identity);
    const viaGitHub = await signedInAs(server, await signInThroughProvider(server, 'github'));
    google.signInAs({ ...identity, subject: `google-${unique()}`, email: identity.email?.toUpperCase() ?? null });
    const viaGoogle = await signedInAs(server, await signInThroughProvider(server, 'google'));
    expect(viaGoogle.user.id).toBe(viaGitHub.user.id);
    expect(viaGoogle.methods).toEqual({ hasPassword: false, providers: ['github', 'google'] });
  });

  it('linking to an account whose email was never proven drops its password and signs its sessions out', async () => {
    // An attacker registers the victim's address first ("pre-hijacking")...
    const username = `squat${unique()}`;
    const attackerToken = await registerAccount(server.url, username);
    const attacker = createGopherClient({ url: server.url, accessToken: () => attackerToken });
    // ...and the victim, who owns the address, later signs in with GitHub.
    github.signInAs(githubIdentity({ email: `${username}@example.com` }));
    const victim = await signedInAs(server, await signInThroughProvider(server, 'github'));
    expect(victim.user.username).toBe(username);
    expect(victim.methods).toEqual({ hasPassword: false, providers: ['github'] });

    const stolenSession = await attacker.api.auth.me.query().catch(toAppError);
    expect(stolenSession).toMatchObject({ appCode: 'UNAUTHENTICATED' });
    const passwordLogin = await server.client.api.auth.login
      .mutate({ login: username, password: TEST_PASSWORD })
      .catch(toAppError);
    expect(passwordLogin).toMatchObject({ appCode: 'UNAUTHENTICATED' });
    await attacker.close();
  });

  it('never links through an email the provider has not verified', async () => {
    const username = `owner${unique()}`;
    await registerAccount(server.url, username);
    github.signInAs(githubIdentity({ email: `${username}@example.com`, isEmailVerified: false }));
    const landing = await signInThroughProvider(server, 'github');
    expect(landing.location.pathname).toBe('/');
    expect(landing.location.searchParams.get('oauth_error')).toBe('no_verified_email');
    expect(landing.refreshToken).toBeUndefined();
    // The account keeps its password.
    const login = await server.client.api.auth.login.mutate({ login: username, password: TEST_PASSWORD });
    expect(login.user.username).toBe(username);
  });

  it('gives a new account a free username when the provider handle is taken', async () => {
    const taken = `taken${unique()}`;
    await registerAccount(server.url, taken);
    github.signInAs(githubIdentity({ login: taken }));
    const { user } = await signedInAs(server, await signInThroughProvider(server, 'github'));
    expect(user.username).toMatch(new RegExp(`^${taken}-\\d{4}$`));
  });

  it('refuses a callback whose state does not match this browser’s attempt (login CSRF)', async () => {
    github.signInAs(githubIdentity());
    const forged = await signInThroughProvider(server, 'github', (callback) => {
      callback.url.searchParams.set('state', 'attacker-chosen-state-value');
    });
    expect(forged.location.searchParams.get('oauth_error')).toBe('state_mismatch');
    expect(forged.refreshToken).toBeUndefined();

    github.signInAs(githubIdentity());
    const noCookie = await signInThroughProvider(server, 'github', (callback) => {
      callback.cookie = '';
    });
    expect(noCookie.location.searchParams.get('oauth_error')).toBe('state_mismatch');
  });

  it('fails when the code is redeemed without the matching PKCE verifier', async () => {
    github.signInAs(githubIdentity());
    const landing = await signInThroughProvider(server, 'github', (callback) => {
      const [provider, state] = callback.cookie.replace('gc_oauth=', '').split('.');
      callback.cookie = `gc_oauth=${provider}.${state}.${'x'.repeat(43)}`;
    });
    expect(landing.location.searchParams.get('oauth_error')).toBe('provider_failed');
    expect(landing.refreshToken).toBeUndefined();
  });

  it('says so when the person cancels at the provider', async () => {
    const start = await fetch(new URL('/auth/oauth/google', server.url), { redirect: 'manual' });
    const cookie = `gc_oauth=${cookieValue(start.headers.getSetCookie(), 'gc_oauth')}`;
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state');
    const callback = new URL(`/auth/oauth/google/callback?error=access_denied&state=${state}`, server.url);
    const landing = await fetch(callback, { redirect: 'manual', headers: { cookie } });
    expect(new URL(landing.headers.get('location') ?? '').searchParams.get('oauth_error')).toBe('denied');
  });
});
