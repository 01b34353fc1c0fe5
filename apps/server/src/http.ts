import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { CALLS_PER_BATCH_MAX, TRPC_PATH } from '@gopherchat/api';
import type { AnyRouter } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { type AnyElysia, Elysia } from 'elysia';
import type { Logger } from 'pino';
import { isSameSecret } from './lib/same-secret.ts';
import type { ReadinessReport } from './modules/system/index.ts';
import type { SecurityHeaders } from './security-headers.ts';

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Uses the caller's X-Request-Id when it is sane (so traces join up), else a fresh one. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && REQUEST_ID_PATTERN.test(given) ? given : crypto.randomUUID();
}

/** Where the built web app comes from: a folder on disk, or the files embedded in the binary. */
export type WebFiles = { kind: 'dir'; dir: string } | { kind: 'embedded'; files: ReadonlyMap<string, string> };

function openWebFiles(source: WebFiles): ((relativePath: string) => string | undefined) | undefined {
  switch (source.kind) {
    case 'embedded':
      return source.files.has('index.html') ? (path) => source.files.get(path) : undefined;
    case 'dir': {
      const root = resolve(source.dir);
      if (!existsSync(join(root, 'index.html'))) return undefined;
      return (path) => {
        const candidate = normalize(join(root, path));
        // normalize() has resolved any "..": refuse what ends up outside the root.
        if (!candidate.startsWith(`${root}/`)) return undefined;
        return existsSync(candidate) && statSync(candidate).isFile() ? candidate : undefined;
      };
    }
    default:
      return source satisfies never;
  }
}

/**
 * Serves the built web app, falling back to index.html for client-side
 * routes. Every file carries the app's Content-Security-Policy (it matters
 * for the pages and for sw.js, whose own policy a service worker runs under).
 */
function createStaticHandler(source: WebFiles, security: SecurityHeaders) {
  const lookup = openWebFiles(source);
  const index = lookup?.('index.html');
  if (!lookup || !index) return undefined;
  // Read once: the policy allows the inline scripts of this very build by their hashes.
  const securityHeaders = security.webApp(readFileSync(index, 'utf8'));
  return (pathname: string): Response | undefined => {
    const relativePath = decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = relativePath === '' ? undefined : lookup(relativePath);
    if (file) {
      const isHashed = relativePath.startsWith('assets/');
      return new Response(Bun.file(file), {
        headers: { ...securityHeaders, 'cache-control': isHashed ? 'public, max-age=31536000, immutable' : 'no-cache' },
      });
    }
    // Files and API namespaces have no client-side routes to fall back to.
    if (/\.[a-z0-9]+$/i.test(relativePath) || /^(trpc|auth)(\/|$)/.test(relativePath)) return undefined;
    return new Response(Bun.file(index), { headers: { ...securityHeaders, 'cache-control': 'no-cache' } });
  };
}

/** How an error Elysia caught is answered: a status and a message a person can read. */
function describeHttpError(code: string | number, error: unknown): { status: number; message: string } {
  // decodeURIComponent of a path such as /%zz: the address is malformed, not the server.
  if (error instanceof URIError) return { status: 400, message: 'The address is malformed.' };
  switch (code) {
    case 'NOT_FOUND':
      return { status: 404, message: 'Not found' };
    case 'PARSE':
    case 'VALIDATION':
    case 'INVALID_COOKIE_SIGNATURE':
    case 'INVALID_FILE_TYPE':
      return { status: 400, message: 'The request is malformed.' };
    default:
      return typeof code === 'number' && code >= 400 && code < 500
        ? { status: code, message: 'The request was refused.' }
        : { status: 500, message: 'Something went wrong on our side. Please try again.' };
  }
}

export function createHttpApp<TRouter extends AnyRouter>(options: {
  router: TRouter;
  createContext: (input: { requestId: string; request: Request; resHeaders: Headers }) => Promise<unknown>;
  /** Plain HTTP routes of feature modules (e.g. the auth cookie routes). */
  routes: AnyElysia[];
  checkReadiness: () => Promise<ReadinessReport>;
  /**
   * The Prometheus text of this instance's counters, behind a bearer token
   * when one is set; without one, only while the server listens on loopback
   * (counters tell an outsider how busy the server is and who is online).
   */
  metrics: { render: () => string; token: string | undefined; isOpenWithoutToken: boolean };
  webFiles: WebFiles;
  /** Every response's security headers, and the web app's Content-Security-Policy. */
  securityHeaders: SecurityHeaders;
  logger: Logger;
}) {
  const { logger } = options;
  const serveStatic = createStaticHandler(options.webFiles, options.securityHeaders);

  const handleTrpc = ({ request, requestId }: { request: Request; requestId: string }) =>
    fetchRequestHandler({
      endpoint: TRPC_PATH,
      req: request,
      router: options.router,
      maxBatchSize: CALLS_PER_BATCH_MAX,
      createContext: ({ resHeaders }) => options.createContext({ requestId, request, resHeaders }) as never,
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path, requestId }, 'procedure failed');
      },
    });

  return (
    new Elysia()
      // Defaults: a response that sets its own (the web app's files) keeps them.
      .onRequest(({ set }) => void Object.assign(set.headers, options.securityHeaders.everyResponse))
      .derive({ as: 'global' }, ({ request, set }) => {
        const requestId = requestIdFor(request);
        set.headers['x-request-id'] = requestId;
        return { requestId, receivedAt: performance.now() };
      })
      // Every failure answers typed JSON: a malformed input is the client's 4xx, never a 500.
      .onError({ as: 'global' }, ({ code, error, set, request }) => {
        const answer = describeHttpError(code, error);
        if (answer.status >= 500) logger.error({ err: error, path: request.url }, 'request failed');
        set.status = answer.status;
        return { error: answer.message };
      })
      .onAfterResponse({ as: 'global' }, ({ request, requestId, receivedAt, set, responseValue }) => {
        const url = new URL(request.url);
        if (url.pathname === '/healthz' || url.pathname === '/readyz') return;
        logger.info(
          {
            requestId,
            method: request.method,
            path: url.pathname,
            status: responseValue instanceof Response ? responseValue.status : set.status,
            ms: Math.round((performance.now() - receivedAt) * 10) / 10,
          },
          'request',
        );
      })
      .get('/healthz', () => ({ status: 'ok' }))
      .get('/readyz', async ({ set }) => {
        const report = await options.checkReadiness();
        set.status = report.isReady ? 200 : 503;
        return report;
      })
      .get('/metrics', ({ request, set }) => {
        const { token, isOpenWithoutToken } = options.metrics;
        if (!token && !isOpenWithoutToken) {
          set.status = 403;
          return { error: 'Metrics are served off loopback only with METRICS_TOKEN set.' };
        }
        if (token && !isSameSecret(request.headers.get('authorization') ?? '', `Bearer ${token}`)) {
          set.status = 401;
          return { error: 'Metrics need the bearer token.' };
        }
        return new Response(options.metrics.render(), {
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        });
      })
      // Queries are GETs, mutations POSTs; the body stays unread for tRPC to parse.
      .get(`${TRPC_PATH}/*`, handleTrpc)
      .post(`${TRPC_PATH}/*`, handleTrpc, { parse: 'none' })
      .use(options.routes)
      .get('/*', ({ request, set }) => {
        const response = serveStatic?.(new URL(request.url).pathname);
        if (response) return response;
        set.status = 404;
        return { error: 'Not found' };
      })
  );
}
