import { describe, expect, it } from 'bun:test';
import { findMentions, mentionedNames } from './mentions.ts';

const names = (text: string) => findMentions(text).map((found) => text.slice(found.start, found.end));

describe('findMentions', () => {
  it('finds @names at word starts, less the full stop that ends a sentence', () => {
    expect(names('@ada and @bob.smith, thanks @cy.')).toEqual(['@ada', '@bob.smith', '@cy']);
    expect(names('(@ada) "@bob" @c_d-e!')).toEqual(['@ada', '@bob', '@c_d-e']);
  });

  it('leaves email addresses, addresses with @ in them, and lone @ alone', () => {
    expect(names('ada@example.com https://example.com/@ada @ @-x @_y')).toEqual([]);
  });

  it('leaves code spans and fenced code blocks alone', () => {
    expect(names('`@ada` and ``@bob `x` `` but @cy')).toEqual(['@cy']);
    expect(names('```\n@ada\n```\n@bob\n```js\n@cy')).toEqual(['@bob']);
    // An unpaired backtick is text.
    expect(names('it`s @ada')).toEqual(['@ada']);
  });

  it('finds nothing in long runs of what almost mentions', () => {
    const text = `${'@'.repeat(2000)}${'`'.repeat(1000)}${'a@'.repeat(500)}`;
    expect(findMentions(text)).toEqual([]);
  });
});

describe('mentionedNames', () => {
  it('gives each username once, in lower case, and @all over @here', () => {
    expect(mentionedNames('@Ada @ada @bob @here')).toEqual({ usernames: ['ada', 'bob'], everyone: 'here' });
    expect(mentionedNames('@here @ALL')).toEqual({ usernames: [], everyone: 'all' });
    expect(mentionedNames('no one')).toEqual({ usernames: [] });
  });
});

describe('usernames', () => {
  it('are never all or here, which mention everyone', async () => {
    const { ZUsername } = await import('./auth.ts');
    expect(ZUsername.safeParse('All').success).toBe(false);
    expect(ZUsername.safeParse('here').success).toBe(false);
    expect(ZUsername.safeParse('hereford').success).toBe(true);
  });
});
