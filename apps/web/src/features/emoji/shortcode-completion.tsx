import { createTokenCompletion } from '../../lib/ui/token-completion.tsx';
import type { Emoji, EmojiIndex } from './emoji-index.ts';
import { type ShortcodeToken, shortcodeBeforeCaret } from './shortcode.ts';

/** Suggestions shown at most. */
const SUGGESTIONS = 8;

/**
 * `:shortcode` completion for a text field: as `:ta` is typed, the emoji
 * whose shortcode begins so are offered (see `createTokenCompletion`). A code
 * typed whole, `:tada:`, becomes its emoji without the list.
 */
export function createShortcodeCompletion(deps: {
  id: string;
  /** The emoji data, fetched the first time a `:code` is typed. */
  load: () => Promise<EmojiIndex>;
  /** Puts `emoji` in place of the text between `start` and `end`. */
  replace: (start: number, end: number, emoji: string) => void;
  /** The emoji in the skin tone I use. */
  shown: (emoji: Emoji) => string;
}) {
  let loaded: EmojiIndex | undefined;
  let typed = '';
  /** The shortcode that matched what was typed (an emoji may have several). */
  const shortcodeFor = (emoji: Emoji) => emoji.shortcodes.find((code) => code.startsWith(typed)) ?? emoji.shortcodes[0];
  return createTokenCompletion<ShortcodeToken, Emoji>({
    id: deps.id,
    label: 'Emoji',
    testId: 'shortcode-suggestions',
    tokenBefore: shortcodeBeforeCaret,
    async suggest(token) {
      loaded = await deps.load();
      typed = token.code.toLowerCase();
      return token.isClosed ? [] : loaded.completions(token.code, SUGGESTIONS);
    },
    exactly: (token) => (token.isClosed ? loaded?.byShortcode(token.code) : undefined),
    replace: (start, end, emoji) => deps.replace(start, end, deps.shown(emoji)),
    renderItem: (emoji) => (
      <>
        <span class="text-xl leading-none">{deps.shown(emoji)}</span>
        <span class="truncate">:{shortcodeFor(emoji)}:</span>
      </>
    ),
  });
}
