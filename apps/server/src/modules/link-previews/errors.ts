/**
 * Why a page could not be fetched for a preview, each with what it means.
 * All of them are ordinary outcomes (the message simply gets no preview):
 * they are logged, never shown to people, so there is no user message.
 */
export const LINK_PREVIEW_FAILURES = {
  invalid_url: 'Not an absolute http(s) URL, or it carries credentials or an unusable port.',
  blocked_address: 'The host is, or resolves to, a private, loopback, link-local or otherwise reserved address.',
  unresolvable: 'The hostname did not resolve to any address.',
  too_many_redirects: 'More redirects than allowed, or a redirect loop.',
  timeout: 'Resolving, connecting, the response headers and the body together took longer than allowed.',
  not_html: 'The final response is not text/html or application/xhtml+xml.',
  http_status: 'The final response has a status other than 2xx (or a 3xx without a usable Location).',
  network: 'The connection failed: refused, reset, TLS handshake or certificate check, malformed response.',
} as const;

export type LinkPreviewFailure = keyof typeof LINK_PREVIEW_FAILURES;

/** The one error `fetchPage` throws; `reason` is a closed list, `cause` keeps the underlying error for the log. */
export class LinkPreviewError extends Error {
  override name = 'LinkPreviewError';
  constructor(
    readonly reason: LinkPreviewFailure,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${LINK_PREVIEW_FAILURES[reason]} (${detail})` : LINK_PREVIEW_FAILURES[reason], options);
  }
}
