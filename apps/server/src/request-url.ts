/**
 * Bun gives a request without a usable Host header (an HTTP/1.0 health probe,
 * a hostile client) a URL that is only its path, which `new URL` refuses:
 * every handler reading the URL would throw. Such a request gets an absolute
 * URL on a host that matches nothing (so it is never taken for loopback);
 * one that cannot be given any is answered 400 before it reaches a handler.
 */
const PLACEHOLDER_ORIGIN = 'http://unknown-host.invalid';

export function withAbsoluteUrl(request: Request): Request | undefined {
  if (URL.canParse(request.url)) return request;
  if (!request.url.startsWith('/') || !URL.canParse(request.url, PLACEHOLDER_ORIGIN)) return undefined;
  return new Request(new URL(request.url, PLACEHOLDER_ORIGIN).href, request);
}

/** A typed JSON error, for answers given before (or outside) the application's own handlers. */
export function errorResponse(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { 'x-content-type-options': 'nosniff' } });
}
