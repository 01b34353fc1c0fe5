import { thumbHashToDataURL } from 'thumbhash';

/** Decoded placeholders kept: rows scrolled back into view are drawn again without decoding. */
const KEPT_MAX = 300;
/** The shortest valid ThumbHash: its header. */
const THUMBHASH_MIN_BYTES = 5;
const decoded = new Map<string, string | undefined>();

function decode(thumbHash: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(thumbHash), (char) => char.charCodeAt(0));
    return bytes.length >= THUMBHASH_MIN_BYTES ? thumbHashToDataURL(bytes) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The blurred preview of an image, as an image address (a small PNG), from
 * its ThumbHash in base64; undefined if it cannot be read.
 */
export function placeholderDataUrl(thumbHash: string): string | undefined {
  if (decoded.has(thumbHash)) return decoded.get(thumbHash);
  const url = decode(thumbHash);
  if (decoded.size >= KEPT_MAX) decoded.delete(decoded.keys().next().value as string);
  decoded.set(thumbHash, url);
  return url;
}
