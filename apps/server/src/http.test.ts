import { describe, expect, it } from 'bun:test';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from './testing/test-server.ts';

function makeWebDist(indexHtml = '<!doctype html><title>GopherChat</title>'): string {
  const dir = mkdtempSync(join(tmpdir(), 'gopherchat-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), indexHtml);
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("hi")');
  return dir;
}

/** A Content-Security-Policy header as directive → sources. */
function directivesOf(policy: string | null): Record<string, string[]> {
  const entries = (policy ?? '').split(';').map((directive) => directive.trim().split(/\s+/));
  return Object.fromEntries(entries.filter(([name]) => name).map(([name, ...sources]) => [name, sources]));
}

const sha256Source = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Resolves with how a raw WebSocket upgrade ended: opened, or refused. */
function tryWebSocket(url: URL, origin: string | undefined): Promise<'open' | 'refused'> {
  const wsUrl = new URL('/trpc', url);
  wsUrl.protocol = 'ws:';
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl, origin ? ({ headers: { origin } } as unknown as string[]) : undefined);
    socket.onopen = () => {
      socket.close();
      resolve('open');
    };
    socket.onerror = () => resolve('refused');
  });
}

describe('HTTP surface', () => {
  it('answers liveness and readiness with the state of each dependency', async () => {
    await using t = await startTestServer({ label: 'http', database: 'postgres', bus: 'redis' });
    const health = await fetch(new URL('/healthz', t.url));
    expect(health.status).toBe(200);
    const ready = await fetch(new URL('/readyz', t.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      isReady: true,
      isDegraded: false,
      checks: { database: { ok: true }, sends: { ok: true }, bus: { ok: true } },
    });
  });

  it('stays ready without Redis, reporting it as degraded (every instance left the balancer in an outage)', async () => {
    await using t = await startTestServer({
      label: 'http-unready',
      database: 'pglite',
      bus: 'redis',
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    const ready = await fetch(new URL('/readyz', t.url));
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { isReady: boolean; checks: { bus: { ok: boolean } } };
    expect(report).toMatchObject({
      isReady: true,
      isDegraded: true,
      checks: { database: { ok: true }, bus: { ok: false } },
    });
  });

  it('echoes a sane X-Request-Id and replaces a malformed one', async () => {
    await using t = await startTestServer({ label: 'http-ids', database: 'pglite' });
    const kept = await fetch(new URL('/healthz', t.url), { headers: { 'x-request-id': 'trace-42' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42');
    const replaced = await fetch(new URL('/healthz', t.url), { headers: { 'x-request-id': 'bad id; with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns tRPC errors with proper status codes for unknown procedures', async () => {
    await using t = await startTestServer({ label: 'http-404', database: 'pglite' });
    const response = await fetch(new URL('/trpc/nope.missing', t.url));
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { data: { appCode: string } } };
    expect(body.error.data.appCode).toBe('NOT_FOUND');
  });

  it('refuses WebSocket upgrades from origins not on the allow-list', async () => {
    await using t = await startTestServer({
      label: 'http-origin',
      database: 'pglite',
      env: { ALLOWED_ORIGINS: 'https://chat.example.com' },
    });
    expect(await tryWebSocket(t.url, 'https://evil.example.net')).toBe('refused');
    expect(await tryWebSocket(t.url, 'https://chat.example.com')).toBe('open');
    expect(await tryWebSocket(t.url, t.url.origin)).toBe('open'); // same origin as the server
    expect(await tryWebSocket(t.url, undefined)).toBe('open'); // non-browser clients send no Origin
  });

  it('serves the built web app with SPA fallback, long-lived asset caching and no path traversal', async () => {
    await using t = await startTestServer({
      label: 'http-static',
      database: 'pglite',
      env: { WEB_DIST_DIR: makeWebDist() },
    });
    const index = await fetch(new URL('/', t.url));
    expect(await index.text()).toContain('<title>GopherChat</title>');
    const deepLink = await fetch(new URL('/conversations/123', t.url));
    expect(await deepLink.text()).toContain('<title>GopherChat</title>');
    const asset = await fetch(new URL('/assets/app-abc123.js', t.url));
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(new URL('/assets/missing.js', t.url))).status).toBe(404);
    // API namespaces never fall back to the app's index page.
    expect((await fetch(new URL('/auth/refresh', t.url))).status).toBe(404);
    expect((await fetch(new URL('/trpc', t.url))).status).toBe(404);
    const traversal = await fetch(`${t.url.origin}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).not.toContain('root:');
  });

  it('gives the web app a strict Content-Security-Policy, and every response nosniff, no-referrer and COOP', async () => {
    await using t = await startTestServer({
      label: 'http-security-headers',
      database: 'pglite',
      env: { WEB_DIST_DIR: makeWebDist() },
    });
    const responses = Object.fromEntries(
      await Promise.all(
        ['/', '/conversations/123', '/assets/app-abc123.js', '/trpc/system.info', '/healthz'].map(
          async (path) => [path, await fetch(new URL(path, t.url))] as const,
        ),
      ),
    );
    for (const [path, response] of Object.entries(responses)) {
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      // PUBLIC_URL is unset: HSTS is the TLS terminator's.
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    for (const path of ['/', '/conversations/123', '/assets/app-abc123.js']) {
      const { headers } = responses[path] as Response;
      expect(headers.get('x-frame-options')).toBe('DENY');
      const policy = directivesOf(headers.get('content-security-policy'));
      // The embedded store, on its own loopback port: where uploads go and media comes from.
      const store = policy['connect-src']?.find((source) => /^http:\/\/127\.0\.0\.1:\d+$/.test(source));
      expect(store).toBeDefined();
      expect(policy).toEqual({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:', store as string],
        'media-src': ["'self'", store as string],
        'connect-src': ["'self'", store as string],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      });
    }
    // The API's answers, opened as pages, run nothing and cannot be framed.
    for (const path of ['/trpc/system.info', '/healthz']) {
      const { headers } = responses[path] as Response;
      expect(directivesOf(headers.get('content-security-policy'))).toEqual({
        'default-src': ["'none'"],
        'frame-ancestors': ["'none'"],
      });
    }
    // What the web app's files come with is theirs, not the API's default.
    expect(responses['/assets/app-abc123.js']?.headers.get('cache-control')).toContain('immutable');
  });

  it('allows the build’s inline scripts and styles by their hashes, never by unsafe-inline', async () => {
    const script = 'document.documentElement.dataset.theme = localStorage.theme ?? "system";';
    const style = 'html { background: Canvas; }';
    await using t = await startTestServer({
      label: 'http-csp-hashes',
      database: 'pglite',
      env: {
        WEB_DIST_DIR: makeWebDist(
          `<!doctype html><title>GopherChat</title><style>${style}</style><script>${script}</script>` +
            '<script type="module" crossorigin src="/assets/app-abc123.js"></script>',
        ),
      },
    });
    const policy = directivesOf((await fetch(new URL('/', t.url))).headers.get('content-security-policy'));
    expect(policy['script-src']).toEqual(["'self'", sha256Source(script)]);
    expect(policy['style-src']).toEqual(["'self'", sha256Source(style)]);
  });

  it('names the store’s public endpoint (not the internal one) and sends HSTS when PUBLIC_URL is https', async () => {
    await using t = await startTestServer({
      label: 'http-csp-s3',
      database: 'pglite',
      env: {
        WEB_DIST_DIR: makeWebDist(),
        PUBLIC_URL: 'https://chat.example.com',
        S3_ENDPOINT: 'http://minio:9000',
        S3_PUBLIC_ENDPOINT: 'https://media.example.com',
        S3_ACCESS_KEY_ID: 'gopherchat',
        S3_SECRET_ACCESS_KEY: 'gopherchat-secret',
      },
    });
    const page = await fetch(new URL('/', t.url));
    const policy = directivesOf(page.headers.get('content-security-policy'));
    expect(policy['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://media.example.com']);
    expect(policy['media-src']).toEqual(["'self'", 'https://media.example.com']);
    expect(policy['connect-src']).toEqual(["'self'", 'https://media.example.com']);
    for (const response of [page, await fetch(new URL('/healthz', t.url))]) {
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
    }
  });
});

describe('GET /metrics', () => {
  it('is open on loopback, and off loopback only with METRICS_TOKEN (counters were open to anyone)', async () => {
    {
      await using t = await startTestServer({ label: 'metrics-loopback', database: 'postgres' });
      expect((await fetch(new URL('/metrics', t.url))).status).toBe(200);
    }
    {
      await using t = await startTestServer({ label: 'metrics-open', database: 'postgres', env: { HOST: '0.0.0.0' } });
      const refused = await fetch(new URL('/metrics', t.url));
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: 'Metrics are served off loopback only with METRICS_TOKEN set.' });
    }
    {
      const token = 'a-long-enough-metrics-token';
      await using t = await startTestServer({
        label: 'metrics-token',
        database: 'postgres',
        env: { HOST: '0.0.0.0', METRICS_TOKEN: token },
      });
      expect((await fetch(new URL('/metrics', t.url))).status).toBe(401);
      const metrics = await fetch(new URL('/metrics', t.url), { headers: { authorization: `Bearer ${token}` } });
      expect(metrics.status).toBe(200);
    }
  });
});
