import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import type { AnyRouter } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Elysia } from 'elysia';
import type { Logger } from 'pino';
import type { ReadinessReport } from './modules/system/index.ts';

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Uses the caller's X-Request-Id when it is sane (so traces join up), else a fresh one. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && REQUEST_ID_PATTERN.test(given) ? given : crypto.randomUUID();
}

/** Serves the built web app, falling back to index.html for client-side routes. */
function createStaticHandler(dir: string) {
  const root = resolve(dir);
  const indexFile = join(root, 'index.html');
  return (pathname: string): Response | undefined => {
    const candidate = normalize(join(root, decodeURIComponent(pathname)));
    if (!candidate.startsWith(root)) return undefined;
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      const isHashed = pathname.startsWith('/assets/');
      return new Response(Bun.file(candidate), {
        headers: {
          'cache-control': isHashed ? 'public, max-age=31536000, immutable' : 'no-cache',
          'x-content-type-options': 'nosniff',
        },
      });
    }
    if (/\.[a-z0-9]+$/i.test(pathname)) return undefined;
    return new Response(Bun.file(indexFile), { headers: { 'cache-control': 'no-cache' } });
  };
}

export function createHttpApp<TRouter extends AnyRouter>(options: {
  router: TRouter;
  createContext: (requestId: string) => unknown;
  checkReadiness: () => Promise<ReadinessReport>;
  webDistDir: string | undefined;
  logger: Logger;
}) {
  const { logger } = options;
  const serveStatic =
    options.webDistDir && existsSync(join(options.webDistDir, 'index.html'))
      ? createStaticHandler(options.webDistDir)
      : undefined;

  const handleTrpc = ({ request, requestId }: { request: Request; requestId: string }) =>
    fetchRequestHandler({
      endpoint: '/trpc',
      req: request,
      router: options.router,
      createContext: () => options.createContext(requestId) as never,
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path, requestId }, 'procedure failed');
      },
    });

  return new Elysia()
    .derive({ as: 'global' }, ({ request, set }) => {
      const requestId = requestIdFor(request);
      set.headers['x-request-id'] = requestId;
      return { requestId, receivedAt: performance.now() };
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
    // Queries are GETs, mutations POSTs; the body stays unread for tRPC to parse.
    .get('/trpc/*', handleTrpc)
    .post('/trpc/*', handleTrpc, { parse: 'none' })
    .get('/*', ({ request, set }) => {
      const response = serveStatic?.(new URL(request.url).pathname);
      if (response) return response;
      set.status = 404;
      return { error: 'Not found' };
    });
}
