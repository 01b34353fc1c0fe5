import { createHash } from 'node:crypto';
import type { BlobStore } from './platform/blob-store/index.ts';

/** What the headers need to know about this deployment. */
export interface SecurityHeaderOptions {
  /** Origins of the object store's signed URLs: pages show media from them and post uploads to them. */
  storeOrigins: readonly string[];
  /** PUBLIC_URL; when it is https, responses ask browsers to use nothing else (HSTS). */
  publicUrl: string | undefined;
}

/**
 * One year, this host only: subdomains and the preload list are the
 * operator's decision about the whole domain, made at the TLS terminator
 * (infra/DEPLOY.md).
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * The security headers of every response, and the Content-Security-Policy
 * of the web app's pages. docs/security.md explains each one.
 */
export function createSecurityHeaders(options: SecurityHeaderOptions) {
  const everyResponse: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    // Nothing here reads Referer; without it, neither the store nor a site linked from a message learns which
    // server (or conversation) a reader came from. Origin, which the server checks, is still sent by fetch().
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    // An API answer opened as a page runs nothing and cannot be framed; the web app's files carry their own policy.
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    ...(options.publicUrl?.startsWith('https://') ? { 'strict-transport-security': STRICT_TRANSPORT_SECURITY } : {}),
  };
  return {
    everyResponse,
    /** For the web app's files (index.html above all), whose inline scripts and styles `indexHtml` shows. */
    webApp(indexHtml: string): Record<string, string> {
      return {
        ...everyResponse,
        'content-security-policy': webAppPolicy(options.storeOrigins, inlineHashesOf(indexHtml)),
        // frame-ancestors' predecessor, for browsers that know only it.
        'x-frame-options': 'DENY',
      };
    },
  };
}

export type SecurityHeaders = ReturnType<typeof createSecurityHeaders>;

function webAppPolicy(storeOrigins: readonly string[], inline: InlineHashes): string {
  const store = storeOrigins.join(' ');
  const directives = [
    "default-src 'self'",
    `script-src 'self' ${inline.scripts.join(' ')}`,
    // Solid sets style properties through the CSSOM, which style-src does not govern; `style` attributes and
    // <style> elements written in HTML it does.
    `style-src 'self' ${inline.styles.join(' ')}`,
    // data: for the blurred placeholders decoded from ThumbHashes (features/attachments/placeholder.ts); blob: for
    // previews of the images someone picked, before they are sent (features/attachments/send-files-dialog.tsx).
    `img-src 'self' data: blob: ${store}`,
    `media-src 'self' ${store}`,
    // 'self' matches ws: and wss: to this host too (CSP Level 3), which is where the app's WebSocket goes.
    `connect-src 'self' ${store}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.map((directive) => directive.trim()).join('; ');
}

interface InlineHashes {
  scripts: string[];
  styles: string[];
}

const INLINE_ELEMENT = /<(script|style)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi;

/**
 * CSP hash sources of the inline <script> and <style> elements of a page,
 * computed from the built file itself so that they cannot drift from it.
 * Vite's build has none today; one added later (a theme snippet, say) is
 * allowed by its hash rather than by 'unsafe-inline'.
 */
export function inlineHashesOf(html: string): InlineHashes {
  const hashes: InlineHashes = { scripts: [], styles: [] };
  for (const [, tag, attributes, body] of html.matchAll(INLINE_ELEMENT)) {
    const isScript = tag?.toLowerCase() === 'script';
    if (isScript && /\bsrc\s*=/i.test(attributes ?? '')) continue;
    const source = `'sha256-${createHash('sha256')
      .update(body ?? '', 'utf8')
      .digest('base64')}'`;
    (isScript ? hashes.scripts : hashes.styles).push(source);
  }
  return hashes;
}

/**
 * The origins browsers are sent to for uploads and media, read off URLs the
 * store signs (signing is local: nothing is sent), so the policy names
 * exactly what the app hands out: the embedded store's loopback port,
 * S3_PUBLIC_ENDPOINT or S3_ENDPOINT, or AWS's virtual-hosted bucket.
 */
export async function storeOriginsOf(store: BlobStore): Promise<string[]> {
  const key = 'content-security-policy/probe';
  const [grant, download] = await Promise.all([
    store.grantUpload({ key, contentType: 'image/png', maxBytes: 1, expiresInSeconds: 60 }),
    store.downloadUrl({
      key,
      fileName: 'probe.png',
      contentType: 'image/png',
      disposition: 'inline',
      expiresInSeconds: 60,
    }),
  ]);
  return [...new Set([new URL(grant.url).origin, new URL(download).origin])];
}
