import { describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from './testing/test-server.ts';

function makeWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gopherchat-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>GopherChat</title>');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("hi")');
  return dir;
}

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
    expect(await ready.json()).toEqual({ isReady: true, checks: { database: { ok: true }, bus: { ok: true } } });
  });

  it('reports not ready (503) when Redis cannot be reached', async () => {
    await using t = await startTestServer({
      label: 'http-unready',
      database: 'pglite',
      bus: 'redis',
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    const ready = await fetch(new URL('/readyz', t.url));
    expect(ready.status).toBe(503);
    const report = (await ready.json()) as { checks: { bus: { ok: boolean } } };
    expect(report.checks.bus.ok).toBe(false);
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
});
