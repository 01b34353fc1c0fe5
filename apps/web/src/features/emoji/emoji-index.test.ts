import { describe, expect, it } from 'bun:test';
import data from 'emoji-picker-element-data/en/emojibase/data.json';
import { indexEmoji, inSkinTone, type RawEmoji } from './emoji-index.ts';

const index = indexEmoji(data as RawEmoji[], 17);
const emojiOf = (found: readonly { emoji: string }[]) => found.map((item) => item.emoji);

describe('indexEmoji', () => {
  it('finds emoji by shortcode, name and tag, the closest first', () => {
    expect(emojiOf(index.search('thumbsup')).at(0)).toBe('👍️');
    expect(emojiOf(index.search('+1')).at(0)).toBe('👍️');
    expect(emojiOf(index.search('heart')).slice(0, 3)).toContain('❤️');
    // A tag: "celebration" is none of 🎉's names.
    expect(emojiOf(index.search('celebrat'))).toContain('🎉');
    // Every word must be found.
    expect(emojiOf(index.search('red heart')).at(0)).toBe('❤️');
    expect(emojiOf(index.search('red heart'))).not.toContain('💙');
    expect(index.search('   ')).toEqual([]);
    expect(index.search('zzzqqq')).toEqual([]);
  });

  it('completes shortcodes as they are typed, the exact one first', () => {
    expect(emojiOf(index.completions('tada'))).toEqual(['🎉']);
    const joy = index.completions('joy');
    expect(joy[0]?.shortcodes).toContain('joy');
    expect(joy.length).toBeGreaterThan(1);
    expect(index.byShortcode('Rocket')?.emoji).toBe('🚀');
    expect(index.byShortcode('no_such_code')).toBeUndefined();
  });

  it('leaves out skin tone parts and emoji newer than the device can draw, and keeps tones in order', () => {
    expect(emojiOf(index.inGroup(2))).toEqual([]);
    const older = indexEmoji(data as RawEmoji[], 13);
    // 🫠 (melting face) is Emoji 14.
    expect(emojiOf(older.search('melting'))).not.toContain('🫠');
    expect(emojiOf(index.search('melting'))).toContain('🫠');
    const thumbsUp = index.byShortcode('thumbsup');
    if (!thumbsUp) throw new Error('no thumbs up');
    expect(inSkinTone(thumbsUp, 0)).toBe('👍️');
    expect(inSkinTone(thumbsUp, 1)).toBe('👍🏻');
    expect(inSkinTone(thumbsUp, 5)).toBe('👍🏿');
    const rocket = index.byShortcode('rocket');
    if (!rocket) throw new Error('no rocket');
    expect(inSkinTone(rocket, 3)).toBe('🚀');
  });
});
