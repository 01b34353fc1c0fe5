import { describe, expect, it } from 'bun:test';
import { linkify } from './linkify.ts';

describe('linkify', () => {
  it('links http and https addresses and leaves the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1 and http://x.org.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never links other schemes, and keeps markup as plain text', () => {
    const text = 'javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,hi';
    expect(linkify(text)).toEqual([{ kind: 'text', text }]);
  });
});
