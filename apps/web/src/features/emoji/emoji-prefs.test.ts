import { describe, expect, it } from 'bun:test';
import { createEmojiPrefs, withRecent } from './emoji-prefs.ts';

const storageWith = (stored: string | null) => {
  const items = new Map<string, string>(stored === null ? [] : [['prefs', stored]]);
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => items.set(key, value),
  };
};

describe('emoji preferences', () => {
  it('moves a used emoji to the front, once, and keeps 24 at most', () => {
    expect(withRecent(['👍', '❤️', '🎉'], '🎉')).toEqual(['🎉', '👍', '❤️']);
    const full = Array.from({ length: 24 }, (_, index) => String(index));
    expect(withRecent(full, 'new')).toEqual(['new', ...full.slice(0, 23)]);
  });

  it('starts from the defaults when nothing or nonsense is stored, and remembers what is used', () => {
    for (const stored of [null, '{not json', JSON.stringify({ recent: [1, 2], skinTone: 9 })]) {
      const prefs = createEmojiPrefs(storageWith(stored), 'prefs');
      expect(prefs.recent()[0]).toBe('👍');
      expect(prefs.skinTone()).toBe(0);
    }
    const storage = storageWith(null);
    createEmojiPrefs(storage, 'prefs').noteUsed('🦊');
    expect(createEmojiPrefs(storage, 'prefs').recent()[0]).toBe('🦊');
  });
});
