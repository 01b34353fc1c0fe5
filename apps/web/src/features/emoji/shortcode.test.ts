import { describe, expect, it } from 'bun:test';
import { shortcodeBeforeCaret } from './shortcode.ts';

const at = (text: string) => shortcodeBeforeCaret(text, text.length);

describe('shortcodeBeforeCaret', () => {
  it('finds a code of two or more characters after a colon that starts a word', () => {
    expect(at(':ta')).toEqual({ start: 0, end: 3, code: 'ta', isClosed: false });
    expect(at('well done :thumbs_up')).toEqual({ start: 10, end: 20, code: 'thumbs_up', isClosed: false });
    expect(at('(:+1')).toMatchObject({ start: 1, code: '+1' });
    expect(at('yes :tada:')).toEqual({ start: 4, end: 10, code: 'tada', isClosed: true });
  });

  it('takes neither times, addresses, a lone letter nor text after the caret for one', () => {
    expect(at('at 12:30')).toBeUndefined();
    expect(at('see https://example.com')).toBeUndefined();
    expect(at('a :t')).toBeUndefined();
    expect(at('a :ta b')).toBeUndefined();
    expect(shortcodeBeforeCaret(':tada: and more', 3)).toEqual({ start: 0, end: 3, code: 'ta', isClosed: false });
  });
});
