/**
 * Whether a browser request comes from a page we serve: its Origin is on the
 * allow-list, or names this very host (same origin; also through a proxy that
 * keeps the Host header, like Vite's in development). Requests without Origin
 * come from non-browser clients (the SDK, bots), which no other site can make
 * a victim's browser send; callers decide whether those are acceptable.
 */
export function isAllowedOrigin(request: Request, allowedOrigins: ReadonlySet<string>): boolean | 'absent' {
  const origin = request.headers.get('origin');
  if (origin === null) return 'absent';
  if (allowedOrigins.has(origin)) return true;
  try {
    return new URL(origin).host === request.headers.get('host');
  } catch {
    return false;
  }
}

/** Whether a listen address is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Loopback over plain HTTP: the one place a cookie may go without `Secure` (local development). */
export function isPlainHttpLoopback(request: Request): boolean {
  const url = new URL(request.url);
  const forwardedProto = request.headers.get('x-forwarded-proto');
  const isHttp = (forwardedProto ?? url.protocol.replace(':', '')) === 'http';
  return isHttp && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * The client's address: the socket's peer, or, behind a trusted reverse
 * proxy (TRUST_PROXY), the first address of X-Forwarded-For. Set per request
 * by the server from Bun's `requestIP`.
 */
const peerAddresses = new WeakMap<Request, string>();

export function rememberPeerAddress(request: Request, address: string | undefined) {
  if (address) peerAddresses.set(request, address);
}

export function clientIpOf(request: Request, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return peerAddresses.get(request) ?? null;
}
