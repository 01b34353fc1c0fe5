import { describe, expect, it } from 'bun:test';
import { conversationAfter, type KeyPress, shortcutOf } from './shortcuts.ts';

const press = (key: string, changes: Partial<KeyPress> = {}): KeyPress => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  isTyping: false,
  ...changes,
});

describe('shortcutOf', () => {
  it('moves between conversations with Alt and the arrows, even while typing', () => {
    expect(shortcutOf(press('ArrowUp', { altKey: true, isTyping: true }))).toBe('previous-conversation');
    expect(shortcutOf(press('ArrowDown', { altKey: true }))).toBe('next-conversation');
    expect(shortcutOf(press('ArrowDown'))).toBeUndefined();
    expect(shortcutOf(press('ArrowDown', { altKey: true, ctrlKey: true }))).toBeUndefined();
  });

  it('shows the shortcuts on "?" outside fields only, where it would be typed', () => {
    expect(shortcutOf(press('?'))).toBe('show-shortcuts');
    expect(shortcutOf(press('?', { isTyping: true }))).toBeUndefined();
    expect(shortcutOf(press('?', { ctrlKey: true }))).toBeUndefined();
  });
});

describe('conversationAfter', () => {
  const ids = ['a', 'b', 'c'];
  it('steps through the list and stays at either end', () => {
    expect(conversationAfter(ids, 'b', 1)).toBe('c');
    expect(conversationAfter(ids, 'b', -1)).toBe('a');
    expect(conversationAfter(ids, 'c', 1)).toBe('c');
    expect(conversationAfter(ids, 'a', -1)).toBe('a');
  });

  it('starts at the top going down, at the bottom going up, with nothing open', () => {
    expect(conversationAfter(ids, undefined, 1)).toBe('a');
    expect(conversationAfter(ids, undefined, -1)).toBe('c');
    expect(conversationAfter([], undefined, 1)).toBeUndefined();
  });
});
