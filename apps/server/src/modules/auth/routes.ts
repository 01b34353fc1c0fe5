import { CSRF_HEADER } from '@gopherchat/api';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { Elysia } from 'elysia';
import type { Logger } from 'pino';
import { AppError, TRPC_CODE_BY_APP_CODE } from '../../errors.ts';
import { isAllowedOrigin, isPlainHttpLoopback } from '../../origin.ts';
import { clearedRefreshCookie, readRefreshCookie, refreshCookie } from './cookies.ts';
import type { AuthService } from './service.ts';

/**
 * The two plain HTTP routes the refresh cookie needs (it is scoped to /auth,
 * so no other route ever receives it). Both are POST only and refuse
 * cross-site callers: the custom header forces a CORS preflight that no
 * foreign origin passes, and Origin / Sec-Fetch-Site, when a browser sends
 * them, must name this site. A refused request gets no Set-Cookie.
 */
export function createAuthRoutes(options: {
  auth: AuthService;
  allowedOrigins: readonly string[];
  clientIp: (request: Request) => string | null;
  logger: Logger;
}) {
  const allowedOrigins = new Set(options.allowedOrigins);

  function refusal(request: Request): Response | undefined {
    const fetchSite = request.headers.get('sec-fetch-site');
    const isListedOrigin = allowedOrigins.has(request.headers.get('origin') ?? '');
    // A browser that says the request is not same-origin is believed, unless
    // the page's origin is explicitly allowed (a separately hosted web app).
    const isForeign =
      isAllowedOrigin(request, allowedOrigins) === false ||
      (fetchSite !== null && fetchSite !== 'same-origin' && !isListedOrigin);
    if (!request.headers.get(CSRF_HEADER) || isForeign) {
      options.logger.warn({ origin: request.headers.get('origin'), fetchSite }, 'cross-site auth request refused');
      return Response.json(
        { appCode: 'FORBIDDEN', userMessage: 'This request must come from the GopherChat app.' },
        { status: 403 },
      );
    }
    return undefined;
  }

  function errorResponse(error: unknown, isSecure: boolean): Response {
    if (!(error instanceof AppError)) throw error;
    // The status tRPC itself would give this error, so both surfaces agree.
    const status = getHTTPStatusCodeFromError(new TRPCError({ code: TRPC_CODE_BY_APP_CODE[error.code] }));
    const headers = new Headers();
    // A refresh token that no longer works is useless to keep.
    if (error.code === 'UNAUTHENTICATED') headers.append('set-cookie', clearedRefreshCookie({ isSecure }));
    return Response.json({ appCode: error.code, userMessage: error.userMessage }, { status, headers });
  }

  return new Elysia({ prefix: '/auth' })
    .post(
      '/refresh',
      async ({ request }) => {
        const refused = refusal(request);
        if (refused) return refused;
        const isSecure = !isPlainHttpLoopback(request);
        const token = readRefreshCookie(request.headers.get('cookie'));
        try {
          if (!token) throw new AppError('UNAUTHENTICATED', 'You are signed out. Please sign in.');
          const issued = await options.auth.refresh(token, {
            ip: options.clientIp(request),
            userAgent: request.headers.get('user-agent'),
          });
          const headers = new Headers({ 'cache-control': 'no-store' });
          headers.append(
            'set-cookie',
            refreshCookie(issued.refreshToken, issued.refreshTokenExpiresAt, { isSecure, now: Date.now() }),
          );
          return Response.json(issued.signedIn, { headers });
        } catch (error) {
          return errorResponse(error, isSecure);
        }
      },
      { parse: 'none' },
    )
    .post(
      '/logout',
      async ({ request }) => {
        const refused = refusal(request);
        if (refused) return refused;
        const token = readRefreshCookie(request.headers.get('cookie'));
        if (token) await options.auth.logout(token);
        const headers = new Headers();
        headers.append('set-cookie', clearedRefreshCookie({ isSecure: !isPlainHttpLoopback(request) }));
        return new Response(null, { status: 204, headers });
      },
      { parse: 'none' },
    );
}
