// Shared by the server (who a message mentions) and the web app (the chips it draws and the names it offers), so
// both agree on what is a mention.
import { findLinks } from './links.ts';

/** `@all`: everyone in the conversation; `@here`: everyone in it who is online. */
export type EveryoneMention = 'all' | 'here';
export const EVERYONE_MENTIONS: readonly EveryoneMention[] = ['all', 'here'];

/** A message's mentions, as the server resolved them when it was written or last edited. */
export interface MessageMentions {
  /** Members mentioned by `@username`, in the order first mentioned. Usernames never change. */
  users: { id: string; username: string }[];
  everyone?: EveryoneMention;
}

/** People one message may mention by name: more is a broadcast, which `@all` is for. */
export const MENTIONS_MAX = 50;
/** Groups larger than this take `@all` and `@here` from their owner and admins only. */
export const EVERYONE_MENTION_OPEN_MAX_MEMBERS = 50;

/** A mention in message text: `text.slice(start, end)` is `@name`. */
export type FoundMention = { start: number; end: number; name: string };

/** Where each run of backticks is closed: by the next run of the same length, as in CommonMark. */
export function backtickRuns(text: string) {
  const runs: Array<{ start: number; end: number; closer: number | undefined }> = [];
  for (let at = text.indexOf('`'); at !== -1; at = text.indexOf('`', at)) {
    const start = at;
    while (text[at] === '`') at++;
    runs.push({ start, end: at, closer: undefined });
  }
  const laterByLength = new Map<number, number>();
  for (let run = runs.length - 1; run >= 0; run--) {
    const { start, end } = runs[run] as (typeof runs)[number];
    (runs[run] as (typeof runs)[number]).closer = laterByLength.get(end - start);
    laterByLength.set(end - start, run);
  }
  return runs;
}

const FENCE = /^ {0,3}`{3,}/;

/** The text with fenced code blocks, code spans and links blanked out (same length): what is left can mention. */
function outsideCodeAndLinks(text: string): string {
  // Fenced blocks, line by line (separators at odd places): from an opening fence to the next, or to the end.
  const parts = text.split(/(\r?\n)/);
  let inFence = false;
  for (let index = 0; index < parts.length; index += 2) {
    const line = parts[index] as string;
    const isFence = FENCE.test(line);
    if (inFence || isFence) parts[index] = ' '.repeat(line.length);
    if (isFence) inFence = !inFence;
  }
  const withoutBlocks = parts.join('');
  const chars = withoutBlocks.split('');
  const blank = (start: number, end: number) => chars.fill(' ', start, end);
  const runs = backtickRuns(withoutBlocks);
  for (let run = 0; run < runs.length; run++) {
    const closer = (runs[run] as (typeof runs)[number]).closer;
    if (closer === undefined) continue;
    blank((runs[run] as (typeof runs)[number]).start, (runs[closer] as (typeof runs)[number]).end);
    run = closer;
  }
  for (const link of findLinks(withoutBlocks)) blank(link.start, link.end);
  return chars.join('');
}

// Not inside a word or an address ("ada@example.com", "…/@ada"); a username's letters, less a sentence's full stop.
const MENTION_PATTERN = /(?<![\p{L}\p{N}_.@/-])@([A-Za-z0-9][A-Za-z0-9_.-]*)/gu;

/** The `@name`s in message text, in order, outside code and links. Names are as written: match them case-blind. */
export function findMentions(text: string): FoundMention[] {
  const found: FoundMention[] = [];
  for (const match of outsideCodeAndLinks(text).matchAll(MENTION_PATTERN)) {
    const name = (match[1] as string).replace(/\.+$/, '');
    const start = match.index ?? 0;
    if (name) found.push({ start, end: start + 1 + name.length, name });
  }
  return found;
}

/** Who a text means to mention: usernames (lower case, each once, in order) and `@all` or `@here` (`@all` wins). */
export function mentionedNames(text: string): { usernames: string[]; everyone?: EveryoneMention } {
  const usernames = new Set<string>();
  let everyone: EveryoneMention | undefined;
  for (const { name } of findMentions(text)) {
    const lower = name.toLowerCase();
    if (lower === 'all' || lower === 'here') everyone = everyone === 'all' ? 'all' : lower;
    else usernames.add(lower);
  }
  return { usernames: [...usernames], ...(everyone ? { everyone } : {}) };
}
