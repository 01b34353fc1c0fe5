/*
 * Just enough of an HTML tokenizer to read <title> and <meta> from a page's
 * head. The input is whatever a stranger's server sent, so every search is
 * an indexOf or a sticky regex that cannot backtrack across the document:
 * the work stays linear in the (capped) input, whatever it holds.
 */

/** Metadata lives in the head; past this, a page is not worth reading further. */
const MAX_HEAD_CHARS = 64 * 1024;

const TAG_NAME = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;
const ATTRIBUTE = /([^\s/>=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/y;
const BETWEEN_ATTRIBUTES = /[\s/]*/y;
/** Elements whose content is text, not tags: a <meta> inside a script's string is no meta. */
const RAW_TEXT = new Set(['script', 'style', 'template', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  copy: '©',
  reg: '®',
  trade: '™',
};

/** Decodes character references; unknown names stay as written, as browsers leave them. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    const isValid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return isValid ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Reads a tag's attributes from `from`; returns them and where the tag ends. First of a repeated name wins. */
function readAttributes(html: string, from: number): { attributes: Map<string, string>; end: number } {
  const attributes = new Map<string, string>();
  let at = from;
  while (at < html.length) {
    BETWEEN_ATTRIBUTES.lastIndex = at;
    BETWEEN_ATTRIBUTES.exec(html);
    at = BETWEEN_ATTRIBUTES.lastIndex;
    if (html[at] === '>') return { attributes, end: at + 1 };
    ATTRIBUTE.lastIndex = at;
    const match = ATTRIBUTE.exec(html);
    if (!match?.[1]) {
      at++; // a stray '=': skip it, as browsers do
      continue;
    }
    at = ATTRIBUTE.lastIndex;
    const name = match[1].toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return { attributes, end: html.length };
}

const closers = new Map<string, RegExp>();
/** Where the raw text of `name` ends (its closing tag), and where scanning resumes. */
function findClose(html: string, name: string, from: number): { textEnd: number; resume: number } {
  let closer = closers.get(name);
  if (!closer) {
    closer = new RegExp(`</${name}[\\s/>]`, 'gi');
    closers.set(name, closer);
  }
  closer.lastIndex = from;
  const match = closer.exec(html);
  if (!match) return { textEnd: html.length, resume: html.length };
  const tagEnd = html.indexOf('>', match.index);
  return { textEnd: match.index, resume: tagEnd < 0 ? html.length : tagEnd + 1 };
}

export interface HeadTags {
  /** The first <title>'s text, entities decoded, whitespace untouched. */
  title: string | null;
  /** `property` or `name` (lower case) → `content`, entities decoded; the first of each key wins. */
  meta: Map<string, string>;
}

/** The title and meta tags of a page's head: up to </head> or <body>, or the first 64K characters. */
export function readHead(page: string): HeadTags {
  const html = page.length > MAX_HEAD_CHARS ? page.slice(0, MAX_HEAD_CHARS) : page;
  const meta = new Map<string, string>();
  let title: string | null = null;
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open < 0) break;
    if (html.startsWith('<!--', open)) {
      const close = html.indexOf('-->', open + 4);
      if (close < 0) break;
      at = close + 3;
      continue;
    }
    TAG_NAME.lastIndex = open;
    const tag = TAG_NAME.exec(html);
    if (!tag?.[2]) {
      at = open + 1; // <!DOCTYPE>, <?xml?>, or a lone '<' in text
      continue;
    }
    const name = tag[2].toLowerCase();
    const { attributes, end } = readAttributes(html, TAG_NAME.lastIndex);
    at = end;
    if (tag[1] === '/') {
      if (name === 'head') break;
      continue;
    }
    if (name === 'body') break;
    if (name === 'meta') {
      const key = (attributes.get('property') ?? attributes.get('name'))?.trim().toLowerCase();
      const content = attributes.get('content');
      if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
    } else if (RAW_TEXT.has(name)) {
      const { textEnd, resume } = findClose(html, name, at);
      if (name === 'title' && title === null) title = decodeEntities(html.slice(at, textEnd));
      at = resume;
    }
  }
  return { title, meta };
}
