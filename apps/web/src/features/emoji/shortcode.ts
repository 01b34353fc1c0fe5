/** A `:shortcode` being typed: where it starts in the text, and what follows the colon. */
export interface ShortcodeToken {
  start: number;
  end: number;
  code: string;
  /** Typed with its closing colon, `:tada:`: it becomes its emoji at once. */
  isClosed: boolean;
}

/**
 * The `:code` just before the caret, if any: two or more letters, digits,
 * `_`, `+` or `-` after a colon that starts a word (so "12:30" and URLs are
 * not taken for one).
 */
export function shortcodeBeforeCaret(text: string, caret: number): ShortcodeToken | undefined {
  const found = /(?:^|[\s([{])(:([a-z0-9_+-]{2,})(:?))$/i.exec(text.slice(0, caret));
  if (!found) return undefined;
  const [, token = '', code = '', closing = ''] = found;
  return { start: caret - token.length, end: caret, code, isClosed: closing === ':' };
}
