import { createSignal } from 'solid-js';
import type { SkinTone } from './emoji-index.ts';

/** What the quick row offers before anything has been used. */
const DEFAULT_RECENT_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '🙏'] as const;
/** Recently used emoji kept, newest first. */
const RECENT_EMOJI_MAX = 24;

interface StoredPrefs {
  recent: string[];
  skinTone: SkinTone;
}

/** `recent` with `emoji` moved to the front (at most RECENT_EMOJI_MAX). */
export const withRecent = (recent: readonly string[], emoji: string): string[] =>
  [emoji, ...recent.filter((used) => used !== emoji)].slice(0, RECENT_EMOJI_MAX);

const isSkinTone = (value: unknown): value is SkinTone =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5;

function read(storage: Pick<Storage, 'getItem'>, key: string): StoredPrefs {
  try {
    const stored = JSON.parse(storage.getItem(key) ?? 'null') as Partial<StoredPrefs> | null;
    const recent = Array.isArray(stored?.recent) ? stored.recent.filter((item) => typeof item === 'string') : [];
    return {
      recent: recent.length > 0 ? recent.slice(0, RECENT_EMOJI_MAX) : [...DEFAULT_RECENT_EMOJI],
      skinTone: isSkinTone(stored?.skinTone) ? stored.skinTone : 0,
    };
  } catch {
    return { recent: [...DEFAULT_RECENT_EMOJI], skinTone: 0 };
  }
}

/**
 * The emoji I used lately (the quick reactions and the picker's first row)
 * and my skin tone, kept in this browser for this person.
 */
export function createEmojiPrefs(storage: Pick<Storage, 'getItem' | 'setItem'>, key: string) {
  const [prefs, setPrefs] = createSignal(read(storage, key));
  const save = (next: StoredPrefs) => {
    setPrefs(next);
    try {
      storage.setItem(key, JSON.stringify(next));
    } catch {
      // A full storage only forgets the order of recent emoji.
    }
  };
  return {
    recent: () => prefs().recent,
    skinTone: () => prefs().skinTone,
    noteUsed: (emoji: string) => save({ ...prefs(), recent: withRecent(prefs().recent, emoji) }),
    setSkinTone: (skinTone: SkinTone) => save({ ...prefs(), skinTone }),
  };
}

export type EmojiPrefs = ReturnType<typeof createEmojiPrefs>;
