import { describe, expect, it } from 'bun:test';
import { findLinks } from './linkify.ts';

const shown = (text: string) => findLinks(text).map((link) => [text.slice(link.start, link.end), link.href]);

describe('findLinks', () => {
  it('finds http and https addresses, without the punctuation that ends the sentence', () => {
    expect(shown('see https://example.com/a?b=1 and http://x.org.')).toEqual([
      ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
      ['http://x.org', 'http://x.org/'],
    ]);
  });

  it('never finds other schemes, and ignores markup', () => {
    expect(findLinks('javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,hi')).toEqual([]);
  });

  it('leaves out emphasis markers and backticks around an address', () => {
    expect(shown('**https://example.com/a** _http://x.org_ `https://code.example`')).toEqual([
      ['https://example.com/a', 'https://example.com/a'],
      ['http://x.org', 'http://x.org/'],
      ['https://code.example', 'https://code.example/'],
    ]);
  });

  it('keeps a closing parenthesis that belongs to the address, not one that closes the sentence', () => {
    expect(shown('(see https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      ['https://en.wikipedia.org/wiki/Foo_(bar)', 'https://en.wikipedia.org/wiki/Foo_(bar)'],
    ]);
  });

  it('takes linear time over a long run of trailing punctuation', () => {
    const text = `http://a${'.'.repeat(3990)}b ${'http://a'}${'!'.repeat(3990)}`;
    const started = performance.now();
    expect(findLinks(text)).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
