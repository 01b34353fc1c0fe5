import { describe, expect, it } from 'bun:test';
import {
  CLOSE_AUTH_REQUIRED,
  CLOSE_SESSION_REVOKED,
  CLOSE_TOKEN_EXPIRED,
  CSRF_HEADER,
  REFRESH_COOKIE,
  type SignedIn,
} from '@gopherchat/api';
import { createGopherClient, toAppError } from '@gopherchat/sdk';
import { createManualClock, type Scheduler } from '../../platform/clock/index.ts';
import { eventually } from '../../testing/collect.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const STRONG_PASSWORD = 'velvet-harbor-quartz-71';

interface Reply<T = unknown> {
  status: number;
  body: T;
  setCookies: string[];
}

/**
 * A browser-like client of the auth surface: raw HTTP, a one-cookie jar, and
 * the headers the web app sends. `origin` is the page's origin, as a browser
 * would send it.
 */
function createBrowser(server: TestServer, options: { origin?: string; userAgent?: string } = {}) {
  let refreshToken: string | undefined;
  let accessToken: string | undefined;
  const origin = options.origin ?? server.url.origin;

  const remember = (response: Response) => {
    const setCookies = response.headers.getSetCookie();
    for (const cookie of setCookies) {
      const match = new RegExp(`^${REFRESH_COOKIE}=([^;]*)`).exec(cookie);
      if (match) refreshToken = match[1] || undefined;
    }
    return setCookies;
  };

  async function call<T>(path: string, init: RequestInit): Promise<Reply<T>> {
    const response = await fetch(new URL(path, server.url), init);
    const setCookies = remember(response);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, setCookies };
  }

  const baseHeaders = (extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    origin,
    'user-agent': options.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0',
    ...extra,
  });

  return {
    get refreshToken() {
      return refreshToken;
    },
    set refreshToken(value: string | undefined) {
      refreshToken = value;
    },
    get accessToken() {
      return accessToken;
    },
    async mutate<T>(procedure: string, input: unknown, headers: Record<string, string> = {}) {
      const reply = await call<{ result?: { data: T }; error?: { data: { appCode: string; userMessage: string } } }>(
        `/trpc/${procedure}`,
        {
          method: 'POST',
          headers: baseHeaders({ ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}), ...headers }),
          body: JSON.stringify(input),
        },
      );
      const data = reply.body.result?.data as (T & Partial<SignedIn>) | undefined;
      if (data?.accessToken) accessToken = data.accessToken;
      return { ...reply, data, error: reply.body.error?.data };
    },
    async register(username: string, password = STRONG_PASSWORD) {
      return this.mutate<SignedIn>('auth.register', { username, email: `${username}@example.com`, password });
    },
    async login(login: string, password = STRONG_PASSWORD) {
      return this.mutate<SignedIn>('auth.login', { login, password });
    },
    async refresh(headers: Record<string, string> = { [CSRF_HEADER]: '1' }) {
      const reply = await call<SignedIn & { appCode?: string; userMessage?: string }>('/auth/refresh', {
        method: 'POST',
        headers: {
          ...baseHeaders(headers),
          ...(refreshToken ? { cookie: `${REFRESH_COOKIE}=${refreshToken}` } : {}),
        },
      });
      if (reply.status === 200) accessToken = reply.body.accessToken;
      return reply;
    },
    async logout() {
      return call('/auth/logout', {
        method: 'POST',
        headers: { ...baseHeaders({ [CSRF_HEADER]: '1' }), cookie: `${REFRESH_COOKIE}=${refreshToken}` },
      });
    },
    /** A typed SDK client signed in with this browser's access token. */
    sdk() {
      return createGopherClient({ url: server.url, accessToken: () => accessToken, retryDelayMs: () => 50 });
    },
  };
}

const start = (env: Record<string, string> = {}, clock?: Scheduler) =>
  startTestServer({ label: 'auth', database: 'postgres', bus: 'redis', env, clock });

/** A manual clock on a whole second: access tokens expire on whole seconds. */
const wholeSecondClock = () => createManualClock(Math.ceil(Date.now() / 1000) * 1000);

describe('sign-up and sign-in', () => {
  it('creates an account, sets a locked-down refresh cookie and returns an access token', async () => {
    await using t = await start();
    const browser = createBrowser(t);
    const reply = await browser.register('ada');
    expect(reply.status).toBe(200);
    expect(reply.data?.user).toMatchObject({ username: 'ada', email: 'ada@example.com', displayName: 'ada' });
    const [cookie] = reply.setCookies;
    expect(cookie).toMatch(new RegExp(`^${REFRESH_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(cookie).toContain('Path=/auth');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain HTTP on loopback only
    await using sdk = browser.sdk();
    expect(await sdk.api.auth.me.query()).toMatchObject({ username: 'ada' });
  });

  it('marks the cookie Secure behind an HTTPS proxy', async () => {
    await using t = await start();
    const reply = await createBrowser(t).mutate(
      'auth.register',
      {
        username: 'sec',
        email: 'sec@example.com',
        password: STRONG_PASSWORD,
      },
      { 'x-forwarded-proto': 'https' },
    );
    expect(reply.setCookies[0]).toContain('Secure');
  });

  it('refuses weak passwords with a reason, including ones built from the username', async () => {
    await using t = await start();
    const browser = createBrowser(t);
    const short = await browser.register('bob', 'abc12');
    expect(short.error).toMatchObject({ appCode: 'INVALID_INPUT', userMessage: 'Use at least 8 characters.' });
    const common = await browser.register('bob', 'password123');
    expect(common.error?.userMessage).toStartWith('This password is too easy to guess.');
    const personal = await browser.register('margaretha', 'margaretha2026');
    expect(personal.error?.appCode).toBe('INVALID_INPUT');
    expect(short.setCookies).toEqual([]);
  });

  it('keeps usernames and emails unique regardless of case', async () => {
    await using t = await start();
    const browser = createBrowser(t);
    await browser.register('Grace');
    const sameName = await browser.mutate('auth.register', {
      username: 'grace',
      email: 'other@example.com',
      password: STRONG_PASSWORD,
    });
    expect(sameName.error).toMatchObject({
      appCode: 'CONFLICT',
      userMessage: 'That username is taken. Try another one.',
    });
    const sameEmail = await browser.mutate('auth.register', {
      username: 'grace2',
      email: 'GRACE@EXAMPLE.COM',
      password: STRONG_PASSWORD,
    });
    expect(sameEmail.error?.appCode).toBe('CONFLICT');
  });

  it('signs in by username or email, in any case', async () => {
    await using t = await start();
    await createBrowser(t).register('linus');
    expect((await createBrowser(t).login('LINUS')).status).toBe(200);
    expect((await createBrowser(t).login('Linus@Example.com')).status).toBe(200);
  });

  it('makes the first account the server admin, and says so at sign-up, sign-in, refresh and in auth.me', async () => {
    await using t = await start();
    const founder = createBrowser(t);
    expect((await founder.register('founder')).data?.user.role).toBe('admin');
    expect((await createBrowser(t).register('second')).data?.user.role).toBe('member');
    expect((await createBrowser(t).login('founder')).data?.user.role).toBe('admin');
    expect((await founder.refresh()).body.user.role).toBe('admin');
    await using sdk = founder.sdk();
    expect(await sdk.api.auth.me.query()).toMatchObject({ username: 'founder', role: 'admin' });
  });

  it('makes exactly one of several simultaneous first sign-ups admin, and signs every one up', async () => {
    await using t = await start();
    const names = Array.from({ length: 6 }, (_, index) => `racer${index}`);
    const replies = await Promise.all(names.map((name) => createBrowser(t).register(name)));
    expect(replies.map((reply) => reply.status)).toEqual(names.map(() => 200));
    const roles = replies.map((reply) => reply.data?.user.role);
    expect(roles.filter((role) => role === 'admin')).toHaveLength(1);
    expect(roles.filter((role) => role === 'member')).toHaveLength(names.length - 1);
  });

  it('treats the 73rd byte of a password as significant (bcrypt stops at 72)', async () => {
    await using t = await start();
    const prefix = 'Tq7#vW2m!pZ8@xL4$kR9^bN3&hJ6*cF1(gD5)sA0-eY7+uI2=oP4?'.padEnd(72, 'z');
    expect(new TextEncoder().encode(prefix).length).toBe(72);
    expect((await createBrowser(t).register('longpass', `${prefix}X`)).status).toBe(200);
    expect((await createBrowser(t).login('longpass', `${prefix}Y`)).status).toBe(401);
    expect((await createBrowser(t).login('longpass', prefix)).status).toBe(401);
    expect((await createBrowser(t).login('longpass', `${prefix}X`)).status).toBe(200);
  });
});

describe('no account enumeration', () => {
  it('answers an unknown account exactly like a wrong password', async () => {
    await using t = await start();
    await createBrowser(t).register('known');
    const wrongPassword = await createBrowser(t).login('known', 'not-the-password-123');
    const unknownUser = await createBrowser(t).login('nobody-here', 'not-the-password-123');
    expect(unknownUser.status).toBe(wrongPassword.status);
    const withoutRequestId = (error: typeof unknownUser.error) => ({ ...error, requestId: undefined });
    expect(withoutRequestId(unknownUser.error)).toEqual(withoutRequestId(wrongPassword.error));
    expect(unknownUser.error).toMatchObject({ appCode: 'UNAUTHENTICATED' });
  });

  // That an unknown account costs the same bcrypt verification as a known one: passwords.test.ts and service.test.ts.
});

describe('refresh tokens', () => {
  it('rotates on every use and refuses the rotated token afterwards, revoking the family', async () => {
    await using t = await start({ REFRESH_REUSE_GRACE_SECONDS: '0' });
    const browser = createBrowser(t);
    await browser.register('rota');
    const first = browser.refreshToken;
    const rotated = await browser.refresh();
    expect(rotated.status).toBe(200);
    expect(browser.refreshToken).not.toBe(first);
    const current = browser.refreshToken;

    // An attacker replays the stolen, already-rotated token.
    const attacker = createBrowser(t);
    attacker.refreshToken = first;
    const replay = await attacker.refresh();
    expect(replay.status).toBe(401);
    expect(replay.setCookies[0]).toContain('Max-Age=0');

    // The whole family is gone: the legitimate current token, and its access token.
    browser.refreshToken = current;
    expect((await browser.refresh()).status).toBe(401);
    await using sdk = browser.sdk();
    const denied = await sdk.api.auth.me.query().catch((error: unknown) => error);
    expect(toAppError(denied).appCode).toBe('UNAUTHENTICATED');
  });

  it('lets two tabs refresh at the same moment without a false revocation', async () => {
    await using t = await start();
    const tabA = createBrowser(t);
    await tabA.register('tabs');
    const tabB = createBrowser(t);
    tabB.refreshToken = tabA.refreshToken;
    const [a, b] = await Promise.all([tabA.refresh(), tabB.refresh()]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    // Both end up holding the same, single new token: the family did not fork.
    expect(tabA.refreshToken).toBe(tabB.refreshToken as string);
    expect((await tabA.refresh()).status).toBe(200);
    await using sdk = tabA.sdk();
    expect(await sdk.api.auth.me.query()).toMatchObject({ username: 'tabs' });
  });

  it('treats a replay of an older token as reuse even within the grace interval', async () => {
    await using t = await start();
    const browser = createBrowser(t);
    await browser.register('older');
    const first = browser.refreshToken;
    await browser.refresh();
    await browser.refresh(); // the first token is now two rotations old
    const attacker = createBrowser(t);
    attacker.refreshToken = first;
    expect((await attacker.refresh()).status).toBe(401);
    expect((await browser.refresh()).status).toBe(401);
  });

  it('ends the session on logout and clears the cookie', async () => {
    await using t = await start();
    const browser = createBrowser(t);
    await browser.register('bye');
    const token = browser.refreshToken;
    const reply = await browser.logout();
    expect(reply.status).toBe(204);
    expect(reply.setCookies[0]).toContain('Max-Age=0');
    browser.refreshToken = token;
    expect((await browser.refresh()).status).toBe(401);
  });
});

describe('CSRF on the cookie routes', () => {
  it('refuses a refresh without the custom header, and sets no cookie', async () => {
    await using t = await start();
    const browser = createBrowser(t);
    await browser.register('csrf1');
    const reply = await browser.refresh({});
    expect(reply.status).toBe(403);
    expect(reply.setCookies).toEqual([]);
  });

  it('refuses a refresh from another site, even with the header', async () => {
    await using t = await start();
    const victim = createBrowser(t);
    await victim.register('csrf2');
    const evil = createBrowser(t, { origin: 'https://evil.example' });
    evil.refreshToken = victim.refreshToken;
    const reply = await evil.refresh({ [CSRF_HEADER]: '1' });
    expect(reply.status).toBe(403);
    expect(reply.setCookies).toEqual([]);
    const crossSite = await victim.refresh({ [CSRF_HEADER]: '1', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    // The victim's session is intact.
    expect((await victim.refresh()).status).toBe(200);
  });

  it('refuses a sign-in from a foreign origin without setting a cookie', async () => {
    await using t = await start();
    const reply = await createBrowser(t, { origin: 'https://evil.example' }).register('csrf3');
    expect(reply.error?.appCode).toBe('FORBIDDEN');
    expect(reply.setCookies).toEqual([]);
  });

  it('accepts only POST', async () => {
    await using t = await start({ WEB_DIST_DIR: '/nonexistent' });
    const browser = createBrowser(t);
    await browser.register('getter');
    const reply = await fetch(new URL('/auth/refresh', t.url), {
      headers: { [CSRF_HEADER]: '1', cookie: `${REFRESH_COOKIE}=${browser.refreshToken}` },
    });
    expect(reply.status).toBe(404);
    expect(reply.headers.getSetCookie()).toEqual([]);
  });
});

describe('sessions', () => {
  it('lists devices and revokes one from another, which loses access at once', async () => {
    await using t = await start();
    const laptop = createBrowser(t, { userAgent: 'Laptop/1.0' });
    await laptop.register('multi');
    const phone = createBrowser(t, { userAgent: 'Phone/2.0' });
    await phone.login('multi');

    await using laptopSdk = laptop.sdk();
    const sessions = await laptopSdk.api.auth.sessions.list.query();
    expect(sessions.map((session) => session.userAgent).sort()).toEqual(['Laptop/1.0', 'Phone/2.0']);
    const phoneSession = sessions.find((session) => !session.isCurrent);
    expect(phoneSession?.userAgent).toBe('Phone/2.0');

    await laptopSdk.api.auth.sessions.revoke.mutate({ sessionId: phoneSession?.id ?? '' });
    await using phoneSdk = phone.sdk();
    const denied = await phoneSdk.api.auth.me.query().catch((error: unknown) => error);
    expect(toAppError(denied)).toMatchObject({ appCode: 'UNAUTHENTICATED' });
    expect((await phone.refresh()).status).toBe(401);
    expect((await laptopSdk.api.auth.sessions.list.query()).length).toBe(1);
  });

  it('does not let anyone revoke a session that is not theirs', async () => {
    await using t = await start();
    const alice = createBrowser(t);
    await alice.register('alice');
    const mallory = createBrowser(t);
    await mallory.register('mallory');
    await using aliceSdk = alice.sdk();
    const [aliceSession] = await aliceSdk.api.auth.sessions.list.query();
    await using mallorySdk = mallory.sdk();
    const refused = await mallorySdk.api.auth.sessions.revoke
      .mutate({ sessionId: aliceSession?.id ?? '' })
      .catch((error: unknown) => error);
    expect(toAppError(refused).appCode).toBe('NOT_FOUND');
    expect((await alice.refresh()).status).toBe(200);
  });

  it('closes the WebSocket of a revoked session, on every instance', async () => {
    await using a = await start();
    await using b = await startTestServer({
      label: 'auth',
      database: 'postgres',
      bus: 'redis',
      shared: { databaseUrl: a.databaseUrl, redisKeyPrefix: a.redisKeyPrefix },
    });
    const phone = createBrowser(a);
    await phone.register('socketed');
    const { closed, call } = await openSocket(b, phone.accessToken);
    // Answered only once the server has verified the token and tied the socket to the session.
    const [session] = (await call('auth.sessions.list')) as { id: string }[];

    await using sdk = phone.sdk();
    await sdk.api.auth.sessions.revoke.mutate({ sessionId: session?.id ?? '' });
    expect((await closed).code).toBe(CLOSE_SESSION_REVOKED);
  });

  it('changes the password, keeps this session and signs out every other', async () => {
    await using t = await start();
    const here = createBrowser(t);
    await here.register('changer');
    const elsewhere = createBrowser(t);
    await elsewhere.login('changer');
    await using sdk = here.sdk();

    const wrong = await sdk.api.auth.changePassword
      .mutate({ currentPassword: 'not-it-at-all', newPassword: 'another-long-phrase-42' })
      .catch((error: unknown) => error);
    expect(toAppError(wrong)).toMatchObject({ appCode: 'FORBIDDEN' });

    await sdk.api.auth.changePassword.mutate({
      currentPassword: STRONG_PASSWORD,
      newPassword: 'lantern-meadow-cobalt-88',
    });
    expect((await elsewhere.refresh()).status).toBe(401);
    expect((await here.refresh()).status).toBe(200);
    expect((await createBrowser(t).login('changer')).status).toBe(401);
    expect((await createBrowser(t).login('changer', 'lantern-meadow-cobalt-88')).status).toBe(200);
  });

  it('signs out everywhere', async () => {
    await using t = await start();
    const one = createBrowser(t);
    await one.register('everywhere');
    const two = createBrowser(t);
    await two.login('everywhere');
    await using sdk = one.sdk();
    await sdk.api.auth.logoutEverywhere.mutate();
    expect((await one.refresh()).status).toBe(401);
    expect((await two.refresh()).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('blocks an account after repeated failures, whoever tries, and says when to retry', async () => {
    await using t = await start({ LOGIN_FAILURES_PER_ACCOUNT: '3' });
    await createBrowser(t).register('target');
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await createBrowser(t).login('target', 'guess-number-one')).status).toBe(401);
    }
    const blocked = await createBrowser(t).login('target');
    expect(blocked.status).toBe(429);
    expect(blocked.error?.userMessage).toMatch(
      /^Too many sign-in attempts for this account\. Try again in \d+ minutes?\.$/,
    );
  });

  it('counts failures by username and by email against one account', async () => {
    await using t = await start({ LOGIN_FAILURES_PER_ACCOUNT: '4' });
    await createBrowser(t).register('target');
    for (const login of ['target', 'TARGET@Example.COM', 'Target', 'target@example.com']) {
      expect((await createBrowser(t).login(login, 'guess-number-one')).status).toBe(401);
    }
    const blocked = await createBrowser(t).login('target');
    expect(blocked.status).toBe(429);
    expect((await createBrowser(t).login('TARGET@EXAMPLE.COM')).status).toBe(429);
  });

  it('counts wrong current passwords against the same account as sign-ins by email', async () => {
    await using t = await start({ LOGIN_FAILURES_PER_ACCOUNT: '3' });
    const owner = createBrowser(t);
    await owner.register('changer');
    await using sdk = owner.sdk();
    for (let attempt = 0; attempt < 2; attempt++) {
      await sdk.api.auth.changePassword
        .mutate({ currentPassword: 'not-it-at-all', newPassword: 'lantern-meadow-cobalt-88' })
        .catch(() => {});
    }
    expect((await createBrowser(t).login('changer@example.com', 'guess-number-one')).status).toBe(401);
    expect((await createBrowser(t).login('changer@example.com')).status).toBe(429);
  });

  it('throttles a name that matches no account like a real one, in any case, with the same words', async () => {
    await using t = await start({ LOGIN_FAILURES_PER_ACCOUNT: '3' });
    for (const login of ['ghost', 'GHOST', ' Ghost ']) {
      expect((await createBrowser(t).login(login, 'guess-number-one')).status).toBe(401);
    }
    const blocked = await createBrowser(t).login('gHoSt', 'guess-number-one');
    expect(blocked.status).toBe(429);
    expect(blocked.error?.userMessage).toMatch(
      /^Too many sign-in attempts for this account\. Try again in \d+ minutes?\.$/,
    );
  });

  it('limits sign-in attempts per network address', async () => {
    await using t = await start({ LOGIN_LIMIT_PER_IP: '2' });
    await createBrowser(t).login('a1', 'whatever-password');
    await createBrowser(t).login('a2', 'whatever-password');
    expect((await createBrowser(t).login('a3', 'whatever-password')).status).toBe(429);
  });
});

/**
 * A raw WebSocket to the server that authenticates (or not) the way wsLink
 * does; `call` runs a query over it and resolves with its data.
 */
async function openSocket(server: TestServer, accessToken: string | undefined) {
  const wsUrl = new URL('/trpc?connectionParams=1', server.url);
  wsUrl.protocol = 'ws:';
  const socket = new WebSocket(wsUrl);
  const answers = new Map<number, (reply: { result?: { data: unknown }; error?: unknown }) => void>();
  socket.onmessage = (event) => {
    const reply = JSON.parse(String(event.data));
    answers.get(reply.id)?.(reply);
  };
  const closed = new Promise<{ code: number }>((resolve) => {
    socket.onclose = (event) => resolve({ code: event.code });
  });
  await new Promise((resolve) => {
    socket.onopen = resolve;
  });
  const authenticate = (token: string) =>
    socket.send(JSON.stringify({ method: 'connectionParams', data: { accessToken: token } }));
  if (accessToken !== undefined) authenticate(accessToken);
  let nextId = 1;
  async function call(path: string): Promise<unknown> {
    const id = nextId++;
    const reply = await new Promise<{ result?: { data: unknown }; error?: unknown }>((resolve) => {
      answers.set(id, resolve);
      socket.send(JSON.stringify({ id, method: 'query', params: { path } }));
    });
    if (!reply.result) throw new Error(`${path} failed: ${JSON.stringify(reply.error)}`);
    return reply.result.data;
  }
  return { socket, closed, authenticate, call };
}

describe('WebSocket authentication', () => {
  it('closes a socket that never presents a token at the deadline, and not before', async () => {
    const clock = wholeSecondClock();
    await using t = await start({ WEBSOCKET_AUTH_DEADLINE_MS: '300' }, clock);
    const browser = createBrowser(t);
    await browser.register('punctual');
    const silent = await openSocket(t, undefined);
    const late = await openSocket(t, undefined);
    await eventually(() => t.server.app.websockets.connectionCount === 2, 'both sockets open on the server');

    clock.advance(299);
    // Still open a millisecond before the deadline: it can authenticate and be answered.
    late.authenticate(browser.accessToken ?? '');
    expect(await late.call('auth.sessions.list')).toHaveLength(1);
    clock.advance(1);
    expect((await silent.closed).code).toBe(CLOSE_AUTH_REQUIRED);
    // The authenticated one is past the deadline for good.
    clock.advance(1_000);
    expect(await late.call('auth.sessions.list')).toHaveLength(1);
  });

  it('closes a socket presenting an invalid token at once', async () => {
    await using t = await start();
    const { closed } = await openSocket(t, 'forged.token.value');
    expect((await closed).code).toBe(CLOSE_AUTH_REQUIRED);
  });

  it('closes a socket when its access token runs out, and not before', async () => {
    const clock = wholeSecondClock();
    await using t = await start({ ACCESS_TOKEN_TTL_SECONDS: '2' }, clock);
    const browser = createBrowser(t);
    await browser.register('expiring');
    const { closed, call } = await openSocket(t, browser.accessToken);
    await call('auth.sessions.list');
    clock.advance(1_999);
    expect(await call('auth.sessions.list')).toHaveLength(1);
    clock.advance(1);
    expect((await closed).code).toBe(CLOSE_TOKEN_EXPIRED);
  });

  it('keeps the socket and its subscriptions when the client renews its token in time', async () => {
    const clock = wholeSecondClock();
    await using t = await start({ ACCESS_TOKEN_TTL_SECONDS: '2' }, clock);
    const browser = createBrowser(t);
    await browser.register('renewing');
    await using sdk = browser.sdk();
    let starts = 0;
    const received: string[] = [];
    const subscription = sdk.api.announcements.stream.subscribe(undefined, {
      onStarted: () => starts++,
      onData: ({ data }) => received.push(data.text),
    });
    await eventually(() => starts === 1, 'the subscription');
    for (let round = 0; round < 3; round++) {
      clock.advance(1_000);
      expect((await browser.refresh()).status).toBe(200);
      await sdk.api.auth.renewSocket.mutate({ accessToken: browser.accessToken ?? '' });
    }
    // 3 s in: the first token is long gone, the socket is not.
    await sdk.api.announcements.post.mutate({ text: 'still here' });
    await eventually(() => received.length === 1, 'the post over the same socket');
    expect(starts).toBe(1);
    subscription.unsubscribe();
  });

  it('refuses to renew a socket with another session’s token', async () => {
    await using t = await start();
    const first = createBrowser(t);
    await first.register('owner');
    const second = createBrowser(t);
    await second.login('owner');
    await using sdk = first.sdk();
    const subscription = sdk.api.announcements.stream.subscribe(undefined, { onData: () => {} });
    const refused = await sdk.api.auth.renewSocket
      .mutate({ accessToken: second.accessToken ?? '' })
      .catch((error: unknown) => error);
    expect(toAppError(refused).appCode).toBe('FORBIDDEN');
    subscription.unsubscribe();
  });
});
