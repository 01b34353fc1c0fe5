/** One emoji as the data set has it (emoji-picker-element-data, built from Emojibase). */
export interface RawEmoji {
  emoji: string;
  annotation: string;
  shortcodes?: string[];
  tags?: string[];
  group?: number;
  order?: number;
  version: number;
  skins?: { emoji: string; tone: number | number[] }[];
}

export interface Emoji {
  emoji: string;
  /** Unicode's short name, e.g. "thumbs up". */
  name: string;
  shortcodes: readonly string[];
  /** Skin tone variants, light to dark (tones 1–5); empty when it has none. */
  skins: readonly string[];
  group: number;
}

/** The picker's tabs, in Emojibase's group order; group 2 (skin tones, hair) holds parts, not emoji to pick. */
export const EMOJI_GROUPS = [
  { group: 0, label: 'Smileys and emotion', icon: '😀' },
  { group: 1, label: 'People and body', icon: '👋' },
  { group: 3, label: 'Animals and nature', icon: '🐱' },
  { group: 4, label: 'Food and drink', icon: '🍎' },
  { group: 5, label: 'Travel and places', icon: '🚗' },
  { group: 6, label: 'Activities', icon: '⚽' },
  { group: 7, label: 'Objects', icon: '💡' },
  { group: 8, label: 'Symbols', icon: '❤️' },
  { group: 9, label: 'Flags', icon: '🏁' },
] as const;

/** 0 is the default yellow; 1–5 are Fitzpatrick types 1–2 to 6. */
export type SkinTone = 0 | 1 | 2 | 3 | 4 | 5;

/** `emoji` in `tone`, where it has one. */
export const inSkinTone = (emoji: Emoji, tone: SkinTone): string =>
  tone === 0 ? emoji.emoji : (emoji.skins[tone - 1] ?? emoji.emoji);

/** A search's words: letters, digits and the `+`, `-` and `_` of shortcodes like `+1` and `thumbs_up`. */
const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}+_-]+/gu) ?? [];

interface Entry {
  emoji: Emoji;
  /** Every word it can be found by: its shortcodes, the words of its name, its tags. */
  words: readonly string[];
}

/**
 * The emoji a picker offers, found by name, shortcode or tag. Emoji newer
 * than `maxVersion` (what this device can draw, see `drawableEmojiVersion`)
 * are left out: they would show as empty boxes.
 */
export function indexEmoji(raw: readonly RawEmoji[], maxVersion: number) {
  const entries: Entry[] = raw
    .filter((item) => item.group !== undefined && item.group !== 2 && item.version <= maxVersion)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((item) => {
      const shortcodes = item.shortcodes ?? [];
      const emoji: Emoji = {
        emoji: item.emoji,
        name: item.annotation,
        shortcodes,
        skins: (item.skins ?? [])
          .filter((skin) => typeof skin.tone === 'number')
          .sort((a, b) => (a.tone as number) - (b.tone as number))
          .map((skin) => skin.emoji),
        group: item.group ?? 0,
      };
      return { emoji, words: [...new Set([...shortcodes, ...wordsOf(item.annotation), ...(item.tags ?? [])])] };
    });
  const byShortcode = new Map(entries.flatMap((entry) => entry.emoji.shortcodes.map((code) => [code, entry.emoji])));
  // Emoji arrive spelled with and without the emoji variation selector (U+FE0F): found either way.
  const bare = (text: string) => text.replaceAll('\uFE0F', '');
  const byEmoji = new Map(
    entries.flatMap(({ emoji }) => [emoji.emoji, ...emoji.skins].map((spelling) => [bare(spelling), emoji])),
  );
  const byGroup = new Map<number, Emoji[]>();
  for (const { emoji } of entries) byGroup.set(emoji.group, [...(byGroup.get(emoji.group) ?? []), emoji]);

  /** How well `entry` answers `query`: 0 best; undefined when some word of the query is in none of its words. */
  function rank(entry: Entry, query: readonly string[]): number | undefined {
    const [first = ''] = query;
    if (!query.every((word) => entry.words.some((candidate) => candidate.startsWith(word)))) return undefined;
    if (entry.emoji.shortcodes.includes(first)) return 0;
    if (entry.emoji.shortcodes.some((code) => code.startsWith(first))) return 1;
    if (entry.emoji.name.toLowerCase().startsWith(first)) return 2;
    return 3;
  }

  return {
    /** The emoji of one tab, in Unicode's order. */
    inGroup: (group: number): readonly Emoji[] => byGroup.get(group) ?? [],

    /** Emoji whose shortcodes, name or tags begin with each word of `query`; the closest first. */
    search(query: string, limit = 64): Emoji[] {
      const words = wordsOf(query);
      if (words.length === 0) return [];
      const ranked: { emoji: Emoji; rank: number; position: number }[] = [];
      entries.forEach((entry, position) => {
        const found = rank(entry, words);
        if (found !== undefined) ranked.push({ emoji: entry.emoji, rank: found, position });
      });
      return ranked
        .sort((a, b) => a.rank - b.rank || a.position - b.position)
        .slice(0, limit)
        .map((found) => found.emoji);
    },

    /** What `:code` could become as it is typed: emoji with a shortcode beginning with `code`, exact first. */
    completions(code: string, limit = 8): Emoji[] {
      const wanted = code.toLowerCase();
      const found = entries.filter((entry) => entry.emoji.shortcodes.some((candidate) => candidate.startsWith(wanted)));
      const exact = (entry: Entry) => (entry.emoji.shortcodes.includes(wanted) ? 0 : 1);
      return found
        .sort((a, b) => exact(a) - exact(b))
        .slice(0, limit)
        .map((entry) => entry.emoji);
    },

    /** The emoji `text` is (in any skin tone), if the index has it. */
    byEmoji: (text: string): Emoji | undefined => byEmoji.get(bare(text)),

    /** The emoji `:code:` names, if any. */
    byShortcode: (code: string): Emoji | undefined => byShortcode.get(code.toLowerCase()),
  };
}

export type EmojiIndex = ReturnType<typeof indexEmoji>;
