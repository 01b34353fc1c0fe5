import { readHead } from './html-head.ts';

/** What a preview card shows for a link. */
export interface LinkPreview {
  /** The page's own address (after redirects), never its self-declared og:url, which it could point anywhere. */
  url: string;
  title: string;
  description: string | null;
  siteName: string | null;
  /** An absolute http(s) URL for the client to load; the server never fetches it. */
  imageUrl: string | null;
}

const MAX_TITLE = 300;
const MAX_DESCRIPTION = 1000;
const MAX_SITE_NAME = 100;
const MAX_IMAGE_URL = 2048;

/** Collapses whitespace and cuts at `max` characters (code points, so no emoji is split), marking the cut. */
function clean(text: string | undefined | null, max: number): string | null {
  if (text == null) return null;
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (!collapsed) return null;
  const chars = Array.from(collapsed);
  return chars.length <= max
    ? collapsed
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** The first of `keys` with usable text. */
function firstOf(meta: Map<string, string>, keys: readonly string[], max: number): string | null {
  for (const key of keys) {
    const value = clean(meta.get(key), max);
    if (value) return value;
  }
  return null;
}

/** Resolves an image reference against the page; only http(s) survives (no data:, javascript:, credentials). */
function imageUrl(meta: Map<string, string>, pageUrl: string): string | null {
  for (const key of ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src']) {
    const raw = meta.get(key)?.trim();
    if (!raw) continue;
    try {
      const url = new URL(raw, pageUrl);
      const isUsable = (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
      if (isUsable && url.href.length <= MAX_IMAGE_URL) return url.href;
    } catch {
      // Not a URL (or the page URL is not one): try the next key.
    }
  }
  return null;
}

/**
 * The preview of a fetched page from its OpenGraph and Twitter card tags,
 * falling back to <title> and the meta description; null when the page has
 * no title at all (a card without one is not worth showing). Never throws,
 * whatever the HTML.
 */
export function readPageMetadata(html: string, pageUrl: string): LinkPreview | null {
  const { title: titleTag, meta } = readHead(html);
  const title = firstOf(meta, ['og:title', 'twitter:title'], MAX_TITLE) ?? clean(titleTag, MAX_TITLE);
  if (!title) return null;
  return {
    url: pageUrl,
    title,
    description: firstOf(meta, ['og:description', 'twitter:description', 'description'], MAX_DESCRIPTION),
    siteName: firstOf(meta, ['og:site_name'], MAX_SITE_NAME),
    imageUrl: imageUrl(meta, pageUrl),
  };
}
