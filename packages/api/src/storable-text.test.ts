import { describe, expect, it } from 'bun:test';
import { findUnstorableText, toStorableText, unstorableReasonOf } from './storable-text.ts';

describe('storable text', () => {
  it('names NUL and unpaired surrogates, and accepts whole pairs', () => {
    expect(unstorableReasonOf('plain, 😀 and ünïcode')).toBeUndefined();
    expect(unstorableReasonOf('a\u0000b')).toBe('nul');
    expect(unstorableReasonOf('high \ud83d alone')).toBe('unpaired-surrogate');
    expect(unstorableReasonOf('\ude00 low alone')).toBe('unpaired-surrogate');
  });

  it('finds the first unstorable string in an input, keys included, with its path', () => {
    expect(findUnstorableText({ content: { type: 'text', text: 'ok' }, ids: ['a', 'b'] })).toBeUndefined();
    expect(findUnstorableText({ content: { text: 'x\u0000' } })).toEqual({ path: 'content.text', reason: 'nul' });
    expect(findUnstorableText({ ids: ['a', '\ud800'] })).toEqual({ path: 'ids.1', reason: 'unpaired-surrogate' });
    expect(findUnstorableText({ 'k\u0000': 1 })).toEqual({ path: 'k\u0000', reason: 'nul' });
    expect(findUnstorableText('\u0000')).toEqual({ path: '', reason: 'nul' });
  });

  it('walks an input nested far deeper than a stack allows without overflowing', () => {
    let deep: unknown = 'x\u0000';
    for (let level = 0; level < 200_000; level++) deep = [deep];
    // Past its depth bound it stops looking: the transports refuse such inputs first.
    expect(() => findUnstorableText(deep)).not.toThrow();
  });

  it('cleans text taken from elsewhere and cuts it between characters, never inside a pair', () => {
    expect(toStorableText('a\u0000b\ud800c', 10)).toBe('ab\ufffdc');
    expect(toStorableText('ab😀', 3)).toBe('ab😀');
    expect(toStorableText('ab😀cd', 2)).toBe('ab');
  });
});
