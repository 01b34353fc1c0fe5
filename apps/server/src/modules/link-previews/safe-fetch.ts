import { lookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { type Scheduler, systemClock } from '../../platform/clock/index.ts';
import { isBlockedAddress } from './blocked-addresses.ts';
import { LinkPreviewError } from './errors.ts';

export interface SafeFetcherOptions {
  /** Hostname → its addresses. Defaults to the system resolver (`dns.lookup`, all addresses). */
  resolve?: (hostname: string) => Promise<string[]>;
  /**
   * Lets through an address that would otherwise be blocked (a private or
   * loopback one), e.g. an internal wiki that previews may reach. `address`
   * is as resolved, or as the URL parser normalised a literal (`::ffff:7f00:1`).
   */
  allow?: (address: string, port: number) => boolean;
  maxRedirects?: number;
  /** The body is cut (not refused) here, and the connection dropped. */
  maxBytes?: number;
  /** For everything: every hop's resolving, connecting, headers and body. */
  timeoutMs?: number;
  clock?: Scheduler;
  userAgent?: string;
  /** PEM certificate authorities trusted INSTEAD of the system's; for tests against a self-signed server. */
  trustedCa?: string;
}

export interface FetchedPage {
  /** Where the page was found, after redirects. */
  url: string;
  /** The media type, lower case, without parameters (`text/html`). */
  contentType: string;
  /** The decoded text, cut at `maxBytes`. */
  body: string;
}

export type FetchPage = (url: string) => Promise<FetchedPage>;

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_URL_LENGTH = 2048;

async function systemResolve(hostname: string): Promise<string[]> {
  return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** Parses and vets a URL (the first or a redirect's target), failing with 'invalid_url'. */
function parseTarget(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch (cause) {
    throw new LinkPreviewError('invalid_url', 'unparseable', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LinkPreviewError('invalid_url', url.protocol);
  if (url.username || url.password) throw new LinkPreviewError('invalid_url', 'credentials in the URL');
  if (url.port === '0') throw new LinkPreviewError('invalid_url', 'port 0');
  if (url.href.length > MAX_URL_LENGTH) throw new LinkPreviewError('invalid_url', 'too long');
  return url;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** `[::1]` → `::1`; a literal's text is already normalised by the URL parser (0x7f.1 → 127.0.0.1). */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function decode(bytes: Uint8Array, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  try {
    // Whatever label the server sent: the type lists the known ones, the constructor throws on the rest.
    return new TextDecoder((charset?.toLowerCase() ?? 'utf-8') as Bun.Encoding).decode(bytes);
  } catch {
    // An unknown label: most such pages are really UTF-8 (or ASCII, where it makes no difference).
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * A fetcher for pages to preview, hardened against server-side request
 * forgery: it resolves each hostname itself, refuses if any address is not
 * public (unless `allow`ed), then connects to exactly the address it checked
 * (so a second DNS answer cannot rebind it to an internal one), follows
 * redirects by hand through the same checks, and bounds time and size.
 */
export function createSafeFetcher(options: SafeFetcherOptions = {}): { fetchPage: FetchPage } {
  const {
    resolve = systemResolve,
    allow = () => false,
    maxRedirects = 3,
    maxBytes = 512 * 1024,
    timeoutMs = 5_000,
    clock = systemClock,
    userAgent = 'GopherChat-LinkPreview/1.0',
    trustedCa,
  } = options;

  /** The address to connect to: every address of the host must be acceptable, since any of them could be used. */
  async function pickAddress(url: URL): Promise<string> {
    const host = bareHost(url);
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await resolve(host);
      } catch (cause) {
        throw new LinkPreviewError('unresolvable', host, { cause });
      }
    }
    const [first] = addresses;
    if (first === undefined) throw new LinkPreviewError('unresolvable', host);
    const port = portOf(url);
    for (const address of addresses) {
      if (isBlockedAddress(address) && !allow(address, port)) throw new LinkPreviewError('blocked_address', address);
    }
    return first;
  }

  /** One GET to `address`, whatever the URL's hostname says; resolves with the response head. */
  function request(url: URL, address: string, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolveResponse, reject) => {
      const isHttps = url.protocol === 'https:';
      const host = bareHost(url);
      // The certificate must match the name the user linked to, not the address we dialled.
      const certName = host.replace(/\.$/, '');
      const family = isIP(address);
      // Never consulted while `host` is an IP literal; there in case a runtime resolves it anyway.
      const pinned: LookupFunction = (_name, lookupOptions, callback) =>
        lookupOptions.all ? callback(null, [{ address, family }]) : callback(null, address, family);
      const settings: https.RequestOptions = {
        host: address,
        port: portOf(url),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        family,
        lookup: pinned,
        // No pooling: a socket must never be reused for a host it was not checked for.
        agent: false,
        headers: {
          Host: url.host,
          Accept: 'text/html,application/xhtml+xml',
          // Plain bytes, so `maxBytes` bounds what the server sends, not a decompression bomb's output.
          'Accept-Encoding': 'identity',
          'User-Agent': userAgent,
        },
        ...(isHttps && {
          ...(isIP(host) ? {} : { servername: certName }),
          checkServerIdentity: (_name, cert) => checkServerIdentity(certName, cert),
          rejectUnauthorized: true,
          ...(trustedCa && { ca: trustedCa }),
        }),
      };
      if (signal.aborted) return reject(new LinkPreviewError('timeout'));
      const req = (isHttps ? https : http).request(settings, (res) => {
        // Without a listener, the abort of a response we do not read would be an uncaught error.
        res.on('error', () => {});
        signal.addEventListener('abort', () => res.destroy(), { once: true });
        resolveResponse(res);
      });
      req.on('error', (cause) => reject(new LinkPreviewError('network', cause.message, { cause })));
      signal.addEventListener('abort', () => req.destroy(), { once: true });
      req.end();
    });
  }

  /** Reads up to `maxBytes` of the body, then drops the connection rather than drain the rest. */
  function readBody(res: IncomingMessage): Promise<Uint8Array> {
    return new Promise((resolveBody, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        res.removeAllListeners('data');
        res.destroy();
        resolveBody(Buffer.concat(chunks).subarray(0, maxBytes));
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxBytes) finish();
      });
      res.on('end', finish);
      res.on('error', (cause) => reject(new LinkPreviewError('network', cause.message, { cause })));
    });
  }

  async function follow(startUrl: string, signal: AbortSignal): Promise<FetchedPage> {
    let url = parseTarget(startUrl);
    for (let redirects = 0; ; redirects++) {
      const address = await pickAddress(url);
      const res = await request(url, address, signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        res.destroy();
        if (redirects >= maxRedirects) throw new LinkPreviewError('too_many_redirects', `after ${redirects}`);
        url = parseTarget(location, url);
        continue;
      }
      if (status < 200 || status > 299) {
        res.destroy();
        throw new LinkPreviewError('http_status', String(status));
      }
      const contentType = mediaType(res.headers['content-type']);
      if (!HTML_TYPES.has(contentType)) {
        res.destroy();
        throw new LinkPreviewError('not_html', contentType || 'no content type');
      }
      const body = decode(await readBody(res), res.headers['content-type']);
      return { url: url.href, contentType, body };
    }
  }

  return {
    async fetchPage(url) {
      const deadline = new AbortController();
      const cancelTimer = clock.setTimer(timeoutMs, () => deadline.abort());
      const timedOut = new Promise<never>((_, reject) => {
        deadline.signal.addEventListener('abort', () => reject(new LinkPreviewError('timeout')), { once: true });
      });
      try {
        // The race ends a fetch stuck where no socket can be aborted (a resolver that never answers).
        return await Promise.race([follow(url, deadline.signal), timedOut]);
      } finally {
        cancelTimer();
        // Tears down whatever is still open; `timedOut` rejecting now is ignored, the race has settled.
        deadline.abort();
      }
    },
  };
}
