import type { LinkPreview } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { Cache } from '../../platform/cache/index.ts';
import { LinkPreviewError } from './errors.ts';
import { readPageMetadata } from './page-metadata.ts';
import type { FetchPage } from './safe-fetch.ts';

/** A page read is kept this long: a link shared again (or in another conversation) is not fetched again. */
const PREVIEW_TTL_MS = 6 * 60 * 60 * 1000;
/** A page that could not be previewed is not tried again for this long. */
const NO_PREVIEW_TTL_MS = 10 * 60 * 1000;

/**
 * Preview cards for links: the page read through the SSRF-safe fetcher, its
 * metadata taken from its head, the outcome (a card, or none) cached for
 * every instance.
 */
export function createLinkPreviews(deps: { fetchPage: FetchPage; cache: Cache; logger: Logger }) {
  const { fetchPage, cache, logger } = deps;

  async function read(url: string): Promise<LinkPreview | null> {
    try {
      const page = await fetchPage(url);
      const metadata = readPageMetadata(page.body, page.url);
      return (
        metadata && {
          url: metadata.url,
          title: metadata.title,
          description: metadata.description,
          siteName: metadata.siteName,
        }
      );
    } catch (error) {
      if (!(error instanceof LinkPreviewError)) throw error;
      // Expected for many links (a PDF, a dead host, an intranet address): the message simply has no card.
      logger.debug({ url, reason: error.reason }, 'no link preview');
      return null;
    }
  }

  return {
    /** The card for `url`, or null when its page cannot be previewed. Never throws for what the page did. */
    async previewOf(url: string): Promise<LinkPreview | null> {
      const key = `link-preview:${url}`;
      const cached = await cache.get(key).catch(() => undefined);
      if (cached !== undefined) return JSON.parse(cached) as LinkPreview | null;
      const preview = await read(url);
      await cache
        .set(key, JSON.stringify(preview), preview ? PREVIEW_TTL_MS : NO_PREVIEW_TTL_MS)
        .catch((error) => logger.warn({ err: error }, 'link preview not cached'));
      return preview;
    },
  };
}

export type LinkPreviews = ReturnType<typeof createLinkPreviews>;
