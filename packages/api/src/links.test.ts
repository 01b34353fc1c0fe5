import { describe, expect, it } from 'bun:test';
import { findLinks } from './links.ts';

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

  // How its time grows with such runs is measured by `bun run bench:parsers` (linear means ≈4× for 4× the length).
  it('keeps dots inside an address and drops a long run of trailing punctuation', () => {
    const inside = `http://a${'.'.repeat(3990)}b`;
    const text = `${inside} http://a${'!'.repeat(3990)}`;
    expect(findLinks(text)).toEqual([
      { start: 0, end: inside.length, href: new URL(inside).href },
      { start: inside.length + 1, end: inside.length + 1 + 'http://a'.length, href: 'http://a/' },
    ]);
  });
});
