import {
  backtickRuns,
  type FoundLink,
  findLinks,
  findMentions,
  type MessageContent,
  type MessageMentions,
} from '@gopherchat/api';

/**
 * Light markdown for message bodies: **bold**, *italic* or _italic_,
 * ~~strike~~, `code`, fenced code blocks, > quotes, - and 1. lists,
 * http(s) addresses as links, and `[text](https://…)` links. Nothing else:
 * no headings, images or HTML; what is not markup here is shown as typed.
 *
 * This closed set of nodes is the sanitiser. The renderer turns each kind
 * into one fixed element and puts every string in as text, never as HTML,
 * and a link's `href` only ever comes from `findLinks` (http and https).
 * So `<img onerror=…>` in a message is text, and `javascript:` is never a link.
 *
 * Parsing takes linear time: every marker looks up its partner in a table
 * built in one pass, and no regex runs over more than a line with anything
 * that could backtrack (messages are up to 4000 characters of anything).
 */
export type InlineNode =
  | { type: 'text'; text: string }
  /** `@name` that named a member (`userId`) or everyone, when the message was written: drawn as a chip. */
  | { type: 'mention'; text: string; userId?: string }
  | { type: 'link'; text: string; href: string }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'emphasis' | 'strike'; children: InlineNode[] };

export type BlockNode =
  | { type: 'paragraph'; children: InlineNode[] }
  | { type: 'code-block'; text: string }
  | { type: 'quote'; children: BlockNode[] }
  | { type: 'bullet-list'; items: InlineNode[][] }
  | { type: 'numbered-list'; start: number; items: InlineNode[][] };

/** A `[label](…)` longer than this is text: it bounds how far back a link looks for its label. */
const LABEL_MAX_LENGTH = 200;

/** Quotes inside quotes deeper than this are text: it bounds the work (each level reads its lines again) and the page's nesting. */
const MAX_QUOTE_DEPTH = 4;
/** Bold in italic in strike…: deeper than this, markers are text. Bounds recursion however the markers are nested. */
const MAX_INLINE_DEPTH = 6;

const FENCE_OPEN = /^ {0,3}(`{3,})[^`]*$/;
const FENCE_CLOSE = /^ {0,3}(`{3,})\s*$/;
const QUOTE = /^ {0,3}> ?/;
const BULLET_ITEM = /^ {0,3}[-*+] +(\S.*)$/;
const NUMBERED_ITEM = /^ {0,3}(\d{1,9})[.)] +(\S.*)$/;

/**
 * Parses a message body into blocks; with the message's `mentions`, the
 * `@name`s in its text (not in code or links, as the server found them) that
 * name someone become mention nodes.
 */
export function parseMarkdown(text: string, mentions?: MessageMentions): BlockNode[] {
  const blocks = parseBlocks(text.split(/\r?\n/), 0);
  return mentions ? blocks.map((block) => withMentionsInBlock(block, mentions)) : blocks;
}

function withMentionsInBlock(block: BlockNode, mentions: MessageMentions): BlockNode {
  const inline = (nodes: InlineNode[]) => withMentions(nodes, mentions);
  switch (block.type) {
    case 'paragraph':
      return { ...block, children: inline(block.children) };
    case 'quote':
      return { ...block, children: block.children.map((child) => withMentionsInBlock(child, mentions)) };
    case 'bullet-list':
    case 'numbered-list':
      return { ...block, items: block.items.map(inline) };
    case 'code-block':
      return block;
  }
}

function withMentions(nodes: InlineNode[], mentions: MessageMentions): InlineNode[] {
  const userIdOf = new Map(mentions.users.map((user) => [user.username.toLowerCase(), user.id]));
  return nodes.flatMap((node): InlineNode[] => {
    if (node.type === 'strong' || node.type === 'emphasis' || node.type === 'strike') {
      return [{ ...node, children: withMentions(node.children, mentions) }];
    }
    if (node.type !== 'text') return [node];
    const split: InlineNode[] = [];
    let from = 0;
    for (const found of findMentions(node.text)) {
      const name = found.name.toLowerCase();
      const userId = userIdOf.get(name);
      const isEveryone = mentions.everyone !== undefined && (name === 'all' || name === 'here');
      if (userId === undefined && !isEveryone) continue;
      if (found.start > from) split.push({ type: 'text', text: node.text.slice(from, found.start) });
      split.push({ type: 'mention', text: node.text.slice(found.start, found.end), ...(userId && { userId }) });
      from = found.end;
    }
    if (from === 0) return [node];
    if (from < node.text.length) split.push({ type: 'text', text: node.text.slice(from) });
    return split;
  });
}

function parseBlocks(lines: string[], quoteDepth: number): BlockNode[] {
  const blocks: BlockNode[] = [];
  // Blank lines inside a paragraph stay (the bubble keeps line breaks, as people typed them); at its edges they go.
  let paragraph: string[] = [];
  const endParagraph = () => {
    let first = 0;
    let last = paragraph.length - 1;
    while (first <= last && (paragraph[first] as string).trim() === '') first++;
    while (last >= first && (paragraph[last] as string).trim() === '') last--;
    if (first <= last)
      blocks.push({ type: 'paragraph', children: parseInline(paragraph.slice(first, last + 1).join('\n')) });
    paragraph = [];
  };

  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as string;
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      endParagraph();
      const fenceLength = (fence[1] as string).length;
      const code: string[] = [];
      index++;
      // An unclosed fence runs to the end of the message, as it does on GitHub.
      while (index < lines.length) {
        const closing = FENCE_CLOSE.exec(lines[index] as string);
        if (closing && (closing[1] as string).length >= fenceLength) break;
        code.push(lines[index++] as string);
      }
      index++;
      blocks.push({ type: 'code-block', text: code.join('\n') });
      continue;
    }
    if (quoteDepth < MAX_QUOTE_DEPTH && QUOTE.test(line)) {
      endParagraph();
      const quoted: string[] = [];
      for (; index < lines.length && QUOTE.test(lines[index] as string); index++) {
        quoted.push((lines[index] as string).replace(QUOTE, ''));
      }
      blocks.push({ type: 'quote', children: parseBlocks(quoted, quoteDepth + 1) });
      continue;
    }
    if (BULLET_ITEM.test(line)) {
      endParagraph();
      const items: InlineNode[][] = [];
      for (let item = BULLET_ITEM.exec(line); item; item = BULLET_ITEM.exec(lines[index] ?? '')) {
        items.push(parseInline(item[1] as string));
        index++;
      }
      blocks.push({ type: 'bullet-list', items });
      continue;
    }
    const numbered = NUMBERED_ITEM.exec(line);
    if (numbered) {
      endParagraph();
      const items: InlineNode[][] = [];
      for (let item: RegExpExecArray | null = numbered; item; item = NUMBERED_ITEM.exec(lines[index] ?? '')) {
        items.push(parseInline(item[2] as string));
        index++;
      }
      blocks.push({ type: 'numbered-list', start: Number(numbered[1]), items });
      continue;
    }
    paragraph.push(line);
    index++;
  }
  endParagraph();
  return blocks;
}

type DelimiterChar = '*' | '_' | '~';
type Token =
  | { kind: 'text'; text: string }
  | { kind: 'atom'; node: InlineNode }
  | { kind: 'delimiter'; char: DelimiterChar; raw: string; canOpen: boolean; canClose: boolean };

/** `*` and `_` runs of one, two or three mean italic, bold, both; `~` only in pairs means strike. */
const isDelimiterRun = (char: DelimiterChar, length: number) => (char === '~' ? length === 2 : length <= 3);
const isWhitespace = (char: string | undefined) => char === undefined || /\s/.test(char);
const isAlphanumeric = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);
// Backticks are not escapable: in code a backslash is itself, and code may end with one.
const isEscapable = (char: string | undefined) => char !== undefined && char !== '`' && /[!-/:-@[-^{-~]/.test(char);

/** CommonMark's trim of code: line breaks are spaces, and one space on both sides is padding. */
function codeText(raw: string): string {
  const text = raw.replace(/\n/g, ' ');
  return text.length > 2 && text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '' ? text.slice(1, -1) : text;
}

/**
 * The `[label](address)` links of a text, by where their `[` is: an address
 * `findLinks` found, in parentheses right after a label on one line. A label
 * that reads as an address itself stays text: it could pose as another
 * address than the one it leads to.
 */
function labelledLinks(text: string, links: FoundLink[]): Map<number, { label: string; end: number; href: string }> {
  const found = new Map<number, { label: string; end: number; href: string }>();
  for (const link of links) {
    if (text[link.end] !== ')' || text.slice(link.start - 2, link.start) !== '](') continue;
    const close = link.start - 2;
    const floor = Math.max(0, close - LABEL_MAX_LENGTH);
    let open = close - 1;
    while (open >= floor && text[open] !== '[' && text[open] !== ']' && text[open] !== '\n') open--;
    // `![alt](…)` is an image in markdown, and there are none here: it stays as typed.
    if (open < floor || text[open] !== '[' || text[open - 1] === '!') continue;
    const label = text.slice(open + 1, close);
    if (label.trim() === '' || findLinks(label).length > 0) continue;
    found.set(open, { label, end: link.end + 1, href: link.href });
  }
  return found;
}

/**
 * One pass over the text: code spans and links become atoms (markers inside
 * them mean nothing), backslash escapes become their character, and runs of
 * `*`, `_` or `~` become delimiters that may open or close.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const links = findLinks(text);
  const labelled = labelledLinks(text, links);
  const backticks = backtickRuns(text);
  let nextLink = 0;
  let nextBacktick = 0;
  let pending = '';
  let plainFrom = 0;
  const endText = (at: number) => {
    pending += text.slice(plainFrom, at);
    if (pending) tokens.push({ kind: 'text', text: pending });
    pending = '';
  };

  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    const labelledLink = char === '[' ? labelled.get(at) : undefined;
    if (labelledLink) {
      endText(at);
      tokens.push({ kind: 'atom', node: { type: 'link', text: labelledLink.label, href: labelledLink.href } });
      at = plainFrom = labelledLink.end;
      continue;
    }
    while (nextLink < links.length && (links[nextLink] as (typeof links)[number]).start < at) nextLink++;
    const link = links[nextLink];
    if (link?.start === at) {
      endText(at);
      tokens.push({ kind: 'atom', node: { type: 'link', text: text.slice(link.start, link.end), href: link.href } });
      at = plainFrom = link.end;
      continue;
    }
    if (char === '`') {
      while (nextBacktick < backticks.length && (backticks[nextBacktick] as (typeof backticks)[number]).start < at) {
        nextBacktick++;
      }
      const run = backticks[nextBacktick] as (typeof backticks)[number];
      const closer = run.closer === undefined ? undefined : backticks[run.closer];
      if (closer) {
        endText(at);
        tokens.push({ kind: 'atom', node: { type: 'code', text: codeText(text.slice(run.end, closer.start)) } });
        at = plainFrom = closer.end;
      } else {
        at = run.end;
      }
      continue;
    }
    if (char === '\\' && isEscapable(text[at + 1])) {
      pending += text.slice(plainFrom, at) + text[at + 1];
      at += 2;
      plainFrom = at;
      continue;
    }
    if (char === '*' || char === '_' || char === '~') {
      let end = at;
      while (text[end] === char) end++;
      if (isDelimiterRun(char, end - at)) {
        const before = text[at - 1];
        const after = text[end];
        // Flanking, simplified from CommonMark: an opener is followed by text, a closer follows text, and `_`
        // inside a word (snake_case_names) is neither.
        const isInWord = char === '_';
        endText(at);
        tokens.push({
          kind: 'delimiter',
          char,
          raw: text.slice(at, end),
          canOpen: !isWhitespace(after) && !(isInWord && isAlphanumeric(before)),
          canClose: !isWhitespace(before) && !(isInWord && isAlphanumeric(after)),
        });
        plainFrom = end;
      }
      at = end;
      continue;
    }
    at++;
  }
  endText(text.length);
  return tokens;
}

function parseInline(text: string): InlineNode[] {
  const tokens = tokenize(text);
  // For each delimiter, the nearest later one that can close it (same characters): one pass from the end.
  const closerOf: Array<number | undefined> = new Array(tokens.length);
  const laterClosers = new Map<string, number>();
  for (let index = tokens.length - 1; index >= 0; index--) {
    const token = tokens[index] as Token;
    if (token.kind !== 'delimiter') continue;
    closerOf[index] = laterClosers.get(token.raw);
    if (token.canClose) laterClosers.set(token.raw, index);
  }
  return buildInline(tokens, closerOf, 0, tokens.length, 0);
}

const WRAPPER_OF = { 1: 'emphasis', 2: 'strong' } as const;

/** The nodes of tokens[from, to): each token is visited once, at one depth, so the whole tree takes linear time. */
function buildInline(
  tokens: Token[],
  closerOf: Array<number | undefined>,
  from: number,
  to: number,
  depth: number,
): InlineNode[] {
  const nodes: InlineNode[] = [];
  const pushText = (text: string) => {
    const last = nodes.at(-1);
    if (last?.type === 'text') last.text += text;
    else nodes.push({ type: 'text', text });
  };
  for (let index = from; index < to; index++) {
    const token = tokens[index] as Token;
    if (token.kind === 'text') {
      pushText(token.text);
      continue;
    }
    if (token.kind === 'atom') {
      nodes.push(token.node);
      continue;
    }
    const closer = token.canOpen && depth < MAX_INLINE_DEPTH ? closerOf[index] : undefined;
    if (closer === undefined || closer >= to || closer === index + 1) {
      pushText(token.raw);
      continue;
    }
    const children = buildInline(tokens, closerOf, index + 1, closer, depth + 1);
    if (token.char === '~') nodes.push({ type: 'strike', children });
    else if (token.raw.length === 3) nodes.push({ type: 'strong', children: [{ type: 'emphasis', children }] });
    else nodes.push({ type: WRAPPER_OF[token.raw.length as 1 | 2], children });
    index = closer;
  }
  return nodes;
}

function plainTextOfInline(nodes: InlineNode[]): string {
  return nodes.map((node) => ('children' in node ? plainTextOfInline(node.children) : node.text)).join('');
}

function plainTextOfBlock(block: BlockNode): string {
  switch (block.type) {
    case 'paragraph':
      return plainTextOfInline(block.children);
    case 'code-block':
      return block.text;
    case 'quote':
      return block.children.map(plainTextOfBlock).join('\n');
    case 'bullet-list':
    case 'numbered-list':
      return block.items.map(plainTextOfInline).join('\n');
  }
}

/** A message body as the words it shows, without its markers: for previews, reply quotes and screen readers. */
export function plainTextOf(markdown: string): string {
  return parseMarkdown(markdown).map(plainTextOfBlock).join('\n');
}

/**
 * What a message says in words, as plain text: its text, or a shared file's
 * caption, or else (no caption, or one with no words) the file's name. A
 * note or a deleted message says nothing here: each place words those itself.
 */
export function wordsOf(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return plainTextOf(content.text);
    case 'attachment':
      return (content.caption && plainTextOf(content.caption)) || content.attachment.fileName;
    default:
      return '';
  }
}
