import { drawableEmojiVersion } from './drawable-version.ts';
import { type EmojiIndex, indexEmoji, type RawEmoji } from './emoji-index.ts';

let loading: Promise<EmojiIndex> | undefined;

/**
 * The emoji data (about 75 KB gzipped), fetched the first time a picker or
 * a `:shortcode` needs it, never with the app: most visits use neither.
 * A failed fetch (offline) is tried again next time.
 */
export function loadEmojiIndex(): Promise<EmojiIndex> {
  loading ??= import('emoji-picker-element-data/en/emojibase/data.json').then(
    ({ default: data }) => indexEmoji(data as RawEmoji[], drawableEmojiVersion(data as RawEmoji[])),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
