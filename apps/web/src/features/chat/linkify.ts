/** A piece of message text: plain, or a web address to show as a link. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation that usually ends the sentence around a link rather than the link. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]'"]+$/;

/**
 * Splits text into plain runs and http(s) links. Only http and https become
 * links (never `javascript:` or `data:`), and what is shown is the text
 * itself, rendered as text: no markup from a message ever reaches the page.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0];
    const url = raw.replace(TRAILING_PUNCTUATION, '');
    let href: string;
    try {
      href = new URL(url).href;
    } catch {
      continue;
    }
    const start = match.index ?? 0;
    if (start > plainFrom) parts.push({ kind: 'text', text: text.slice(plainFrom, start) });
    parts.push({ kind: 'link', text: url, href });
    plainFrom = start + url.length;
  }
  if (plainFrom < text.length) parts.push({ kind: 'text', text: text.slice(plainFrom) });
  return parts;
}
