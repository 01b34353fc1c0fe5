// Shared by the server (the link a preview is made for) and the web app (the links it draws), so both
// agree on what is a link.

/** A web address found in message text: `text.slice(start, end)` is what is shown, `href` where it leads. */
export type FoundLink = { start: number; end: number; href: string };

// Not inside a word ("xhttp://"), but right after markup ("_http://…_"). No backticks: they are not allowed in an
// address, and `https://…` in backticks is code.
const URL_PATTERN = /(?<![\p{L}\p{N}])https?:\/\/[^\s<>"`]+/giu;
/**
 * Characters that usually end the sentence or the markup around a link
 * rather than the link (GitHub's autolinks drop the same). A `)` is dropped
 * only while it has no `(` to close, so Wikipedia's `Foo_(bar)` keeps its own.
 */
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', ']', "'", '"', '*', '_', '~']);

/** The length of `url` without the punctuation that follows it in a sentence. A loop, not a regex: linear however long the run. */
function withoutTrailingPunctuation(url: string): number {
  let opened = 0;
  let closed = 0;
  for (const char of url) {
    if (char === '(') opened++;
    else if (char === ')') closed++;
  }
  let end = url.length;
  while (end > 0) {
    const last = url[end - 1] as string;
    if (TRAILING_PUNCTUATION.has(last)) end--;
    else if (last === ')' && closed > opened) {
      end--;
      closed--;
    } else break;
  }
  return end;
}

/**
 * The http(s) addresses in text, in order. Only http and https become links
 * (never `javascript:` or `data:`); the caller shows the address itself as
 * text, so no markup from a message ever reaches the page.
 */
export function findLinks(text: string): FoundLink[] {
  const links: FoundLink[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].slice(0, withoutTrailingPunctuation(match[0]));
    let href: string;
    try {
      href = new URL(url).href;
    } catch {
      continue;
    }
    const start = match.index ?? 0;
    links.push({ start, end: start + url.length, href });
  }
  return links;
}
