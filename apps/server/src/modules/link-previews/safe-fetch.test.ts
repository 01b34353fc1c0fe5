import { describe, expect, it } from 'bun:test';
import { createManualClock } from '../../platform/clock/index.ts';
import { LinkPreviewError } from './errors.ts';
import { createSafeFetcher, type SafeFetcherOptions } from './safe-fetch.ts';
import { TEST_CERTIFICATE, TEST_PRIVATE_KEY } from './test-certificate.ts';

/** A loopback server that records what reached it; `await using` stops it. */
function startServer(handle: (req: Request) => Response | Promise<Response>, options: { isTls?: boolean } = {}) {
  // Copies: Bun's Request is not readable after the handler has returned.
  const requests: { path: string; headers: Headers }[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    ...(options.isTls && { tls: { cert: TEST_CERTIFICATE, key: TEST_PRIVATE_KEY } }),
    fetch(req) {
      requests.push({ path: new URL(req.url).pathname, headers: new Headers(req.headers) });
      return handle(req);
    },
  });
  const port = server.port ?? 0;
  return {
    port,
    requests,
    url: (path = '/', host = '127.0.0.1') => `${options.isTls ? 'https' : 'http'}://${host}:${port}${path}`,
    [Symbol.asyncDispose]: () => server.stop(true),
  };
}

const html = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
const redirect = (location: string, status = 302) => new Response(null, { status, headers: { location } });

const isLoopback = (address: string) => address === '127.0.0.1';
/** Resolves every name to the loopback address, counting lookups. */
function loopbackResolver() {
  const lookups: string[] = [];
  const resolve = async (hostname: string) => {
    lookups.push(hostname);
    return ['127.0.0.1'];
  };
  return { lookups, resolve };
}
const neverResolve = async (hostname: string): Promise<string[]> => {
  throw new Error(`${hostname} must not be looked up`);
};

function fetcher(options: SafeFetcherOptions = {}) {
  const clock = createManualClock();
  return { clock, ...createSafeFetcher({ clock, resolve: neverResolve, ...options }) };
}

/** The reason a fetch failed with; anything but a LinkPreviewError fails the test. */
async function reasonOf(fetching: Promise<unknown>): Promise<string> {
  try {
    await fetching;
  } catch (error) {
    if (error instanceof LinkPreviewError) return error.reason;
    throw error;
  }
  throw new Error('the fetch succeeded');
}

describe('createSafeFetcher', () => {
  it('fetches a loopback page the allow-list lets through, with its own headers and no cookies', async () => {
    await using server = startServer(() => html('<title>Hello</title>'));
    const { fetchPage, clock } = fetcher({ allow: isLoopback, userAgent: 'TestAgent/1' });
    expect(await fetchPage(server.url('/page?q=1#top'))).toEqual({
      url: server.url('/page?q=1#top'),
      contentType: 'text/html',
      body: '<title>Hello</title>',
    });
    const [seen] = server.requests;
    expect(seen?.path).toBe('/page');
    expect(seen?.headers.get('user-agent')).toBe('TestAgent/1');
    expect(seen?.headers.get('accept')).toContain('text/html');
    expect(seen?.headers.get('cookie')).toBeNull();
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses the same page without the allow-list, before connecting', async () => {
    await using server = startServer(() => html('<title>Hello</title>'));
    expect(await reasonOf(fetcher().fetchPage(server.url()))).toBe('blocked_address');
    expect(await reasonOf(fetcher({ allow: () => false }).fetchPage(server.url()))).toBe('blocked_address');
    expect(server.requests).toHaveLength(0);
  });

  it('connects to the address it checked, so a name resolving to a private address cannot rebind', async () => {
    await using server = startServer(() => html('<title>Pinned</title>'));
    const resolver = loopbackResolver();
    // preview.test exists in no DNS (RFC 6761): reaching the server proves the checked address was used.
    const allowed = fetcher({ resolve: resolver.resolve, allow: isLoopback });
    expect((await allowed.fetchPage(server.url('/', 'preview.test'))).body).toBe('<title>Pinned</title>');
    expect(resolver.lookups).toEqual(['preview.test']);
    expect(server.requests[0]?.headers.get('host')).toBe(`preview.test:${server.port}`);

    const refused = fetcher({ resolve: resolver.resolve });
    expect(await reasonOf(refused.fetchPage(server.url('/', 'preview.test')))).toBe('blocked_address');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a host when any one of its addresses is private', async () => {
    const { fetchPage } = fetcher({ resolve: async () => ['93.184.216.34', '10.0.0.1'] });
    expect(await reasonOf(fetchPage('http://mixed.test/'))).toBe('blocked_address');
  });

  it('refuses every literal form of a private address without resolving it', async () => {
    const { fetchPage } = fetcher();
    const literals = [
      ...['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://0x7f000001/', 'http://017700000001/'],
      ...['http://127.1/', 'http://0/', 'http://[::1]/', 'http://[::]/', 'http://[::ffff:127.0.0.1]/'],
      ...['http://[::ffff:7f00:1]:8080/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://169.254.169.254/latest/meta-data/'],
      ...[
        'http://10.0.0.1/',
        'http://192.168.0.1:8443/',
        'https://[fd00::1]/',
        'http://[fe80::1]/',
        'http://１２７.0.0.1/',
      ],
    ];
    for (const url of literals) expect([url, await reasonOf(fetchPage(url))]).toEqual([url, 'blocked_address']);
  });

  it('refuses credentials in the URL and every scheme but http and https', async () => {
    const { fetchPage } = fetcher({ allow: () => true });
    const invalid = [
      ...['http://user:pass@127.0.0.1/', 'http://user@127.0.0.1/', 'https://:secret@example.test/'],
      ...['file:///etc/passwd', 'ftp://example.test/', 'javascript:alert(1)', 'data:text/html,hi', 'gopher://x/'],
      ...['not a url', '/relative', 'http://127.0.0.1:0/', `http://example.test/${'a'.repeat(3000)}`],
    ];
    for (const url of invalid) expect([url, await reasonOf(fetchPage(url))]).toEqual([url, 'invalid_url']);
  });

  it('refuses a redirect to a private address even when the first hop was allowed', async () => {
    await using inner = startServer(() => html('<title>Internal</title>'));
    await using outer = startServer((req) =>
      new URL(req.url).pathname === '/metadata' ? redirect('http://169.254.169.254/') : redirect(inner.url('/admin')),
    );
    const { fetchPage } = fetcher({ allow: (address, port) => isLoopback(address) && port === outer.port });
    expect(await reasonOf(fetchPage(outer.url('/')))).toBe('blocked_address');
    expect(await reasonOf(fetchPage(outer.url('/metadata')))).toBe('blocked_address');
    expect(inner.requests).toHaveLength(0);
  });

  it('follows relative redirects, resolving and checking each hop again', async () => {
    await using server = startServer((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/a') return redirect('/b', 301);
      if (path === '/b') return redirect('c', 307);
      return html('<title>Arrived</title>');
    });
    const resolver = loopbackResolver();
    const { fetchPage } = fetcher({ resolve: resolver.resolve, allow: isLoopback });
    const page = await fetchPage(server.url('/a', 'preview.test'));
    expect(page.url).toBe(server.url('/c', 'preview.test'));
    expect(resolver.lookups).toEqual(['preview.test', 'preview.test', 'preview.test']);
  });

  it('gives up after maxRedirects and on a redirect loop', async () => {
    await using server = startServer((req) => {
      const hop = Number(new URL(req.url).pathname.slice(1));
      return hop === 0 ? html('<title>Done</title>') : redirect(`/${hop - 1}`);
    });
    const { fetchPage } = fetcher({ allow: isLoopback, maxRedirects: 3 });
    expect((await fetchPage(server.url('/3'))).url).toBe(server.url('/0'));
    expect(await reasonOf(fetchPage(server.url('/4')))).toBe('too_many_redirects');
    await using loop = startServer(() => redirect('/again'));
    expect(await reasonOf(fetchPage(loop.url('/again')))).toBe('too_many_redirects');
    expect(loop.requests).toHaveLength(4);
  });

  it('refuses a redirect to a scheme other than http(s)', async () => {
    await using server = startServer(() => redirect('file:///etc/passwd'));
    expect(await reasonOf(fetcher({ allow: isLoopback }).fetchPage(server.url()))).toBe('invalid_url');
  });

  it('cuts an endless body at maxBytes and drops the connection', async () => {
    let onAbort = () => {};
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
    });
    await using server = startServer((req) => {
      req.signal.addEventListener('abort', onAbort);
      const chunk = new TextEncoder().encode('<p>'.padEnd(4096, 'x'));
      return new Response(new ReadableStream({ pull: (controller) => controller.enqueue(chunk) }), {
        headers: { 'content-type': 'text/html' },
      });
    });
    const { fetchPage } = fetcher({ allow: isLoopback, maxBytes: 10_000 });
    const page = await fetchPage(server.url());
    expect(page.body).toHaveLength(10_000);
    await aborted;
  });

  it('refuses what is not HTML, and reports error statuses', async () => {
    await using server = startServer((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/png') return new Response('PNG', { headers: { 'content-type': 'image/png' } });
      if (path === '/json') return Response.json({ title: 'no' });
      if (path === '/untyped') return new Response(new Uint8Array([60, 112, 62]));
      return html('<title>X</title>', { 'content-type': 'application/xhtml+xml' });
    });
    const { fetchPage } = fetcher({ allow: isLoopback });
    for (const path of ['/png', '/json', '/untyped'])
      expect(await reasonOf(fetchPage(server.url(path)))).toBe('not_html');
    expect((await fetchPage(server.url('/xhtml'))).contentType).toBe('application/xhtml+xml');
    await using missing = startServer(() => new Response('<title>Gone</title>', { status: 404 }));
    expect(await reasonOf(fetchPage(missing.url()))).toBe('http_status');
    await using bare = startServer(() => new Response(null, { status: 302 }));
    expect(await reasonOf(fetchPage(bare.url()))).toBe('http_status');
  });

  it('decodes the body with the charset of the Content-Type, UTF-8 otherwise', async () => {
    await using server = startServer((req) => {
      const path = new URL(req.url).pathname;
      const latin1 = new Uint8Array([
        ...new TextEncoder().encode('<title>caf'),
        0xe9,
        ...new TextEncoder().encode('</title>'),
      ]);
      if (path === '/latin1')
        return new Response(latin1, { headers: { 'content-type': 'text/html; charset="windows-1252"' } });
      if (path === '/bogus')
        return new Response('<title>café</title>', { headers: { 'content-type': 'text/html; charset=bogus' } });
      return new Response('<title>café</title>', { headers: { 'content-type': 'text/html' } });
    });
    const { fetchPage } = fetcher({ allow: isLoopback });
    for (const path of ['/latin1', '/bogus', '/utf8'])
      expect((await fetchPage(server.url(path))).body).toBe('<title>café</title>');
  });

  it('times out on a server that never answers, on the injected clock', async () => {
    let onReached = () => {};
    const reached = new Promise<void>((resolve) => {
      onReached = resolve;
    });
    await using server = startServer(() => {
      onReached();
      return new Promise<Response>(() => {});
    });
    const { fetchPage, clock } = fetcher({ allow: isLoopback, timeoutMs: 5_000 });
    const fetching = reasonOf(fetchPage(server.url()));
    await reached;
    clock.advance(4_999);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1);
    expect(await fetching).toBe('timeout');
    expect(clock.pendingTimers).toBe(0);
  });

  it('times out on a resolver that never answers, and reports names that do not resolve', async () => {
    const stuck = fetcher({ resolve: () => new Promise<string[]>(() => {}), timeoutMs: 1_000 });
    const fetching = reasonOf(stuck.fetchPage('http://slow.test/'));
    stuck.clock.advance(1_000);
    expect(await fetching).toBe('timeout');
    expect(await reasonOf(fetcher({ resolve: async () => [] }).fetchPage('http://empty.test/'))).toBe('unresolvable');
    expect(await reasonOf(fetcher().fetchPage('http://nxdomain.test/'))).toBe('unresolvable');
  });

  it('checks the certificate against the linked name while connecting to the pinned address', async () => {
    await using server = startServer(() => html('<title>Secure</title>'), { isTls: true });
    const { resolve } = loopbackResolver();
    const { fetchPage } = fetcher({ resolve, allow: isLoopback, trustedCa: TEST_CERTIFICATE });
    expect((await fetchPage(server.url('/', 'preview.test'))).body).toBe('<title>Secure</title>');
    // Same address, same certificate, but the name is not the certificate's.
    expect(await reasonOf(fetchPage(server.url('/', 'other.test')))).toBe('network');
    expect(await reasonOf(fetchPage(server.url('/')))).toBe('network');
    // Without the test authority, the self-signed certificate is not trusted.
    expect(await reasonOf(fetcher({ resolve, allow: isLoopback }).fetchPage(server.url('/', 'preview.test')))).toBe(
      'network',
    );
  });
});
