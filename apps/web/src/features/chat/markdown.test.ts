import { describe, expect, it } from 'bun:test';
import type { MessageContent } from '@gopherchat/api';
import { PATHOLOGICAL_MARKDOWN } from './markdown.fixtures.ts';
import { type BlockNode, type InlineNode, parseMarkdown, plainTextOf, wordsOf } from './markdown.ts';

const text = (value: string): InlineNode => ({ type: 'text', text: value });
const paragraph = (...children: InlineNode[]): BlockNode => ({ type: 'paragraph', children });
/** The inline nodes of a one-paragraph message. */
const inline = (markdown: string) => {
  const blocks = parseMarkdown(markdown);
  expect(blocks).toHaveLength(1);
  const [block] = blocks;
  if (block?.type !== 'paragraph') throw new Error(`not a paragraph: ${JSON.stringify(block)}`);
  return block.children;
};
/** Every link in a tree, wherever it is nested. */
const hrefsIn = (nodes: Array<BlockNode | InlineNode | InlineNode[]>): string[] =>
  nodes.flatMap((node) => {
    if (Array.isArray(node)) return hrefsIn(node);
    if (node.type === 'link') return [node.href];
    if ('children' in node) return hrefsIn(node.children);
    if ('items' in node) return hrefsIn(node.items);
    return [];
  });

describe('parseMarkdown', () => {
  it('reads bold, italic, strike and inline code', () => {
    expect(inline('**bold** *it* _it_ ~~gone~~ `x < y`')).toEqual([
      { type: 'strong', children: [text('bold')] },
      text(' '),
      { type: 'emphasis', children: [text('it')] },
      text(' '),
      { type: 'emphasis', children: [text('it')] },
      text(' '),
      { type: 'strike', children: [text('gone')] },
      text(' '),
      { type: 'code', text: 'x < y' },
    ]);
  });

  it('nests markers, and reads three as bold italic', () => {
    expect(inline('*a **b** c* ***d***')).toEqual([
      { type: 'emphasis', children: [text('a '), { type: 'strong', children: [text('b')] }, text(' c')] },
      text(' '),
      { type: 'strong', children: [{ type: 'emphasis', children: [text('d')] }] },
    ]);
  });

  it('leaves unclosed, crossed and spaced markers as text', () => {
    expect(inline('**open *half 2 * 3 ~~a')).toEqual([text('**open *half 2 * 3 ~~a')]);
    expect(inline('*a **b* c**')).toEqual([{ type: 'emphasis', children: [text('a **b')] }, text(' c**')]);
  });

  it('does not read underscores inside words, or markers inside code and links', () => {
    expect(inline('snake_case_name and `*not* _this_`')).toEqual([
      text('snake_case_name and '),
      { type: 'code', text: '*not* _this_' },
    ]);
    expect(inline('https://example.com/a_b_c*d*')).toEqual([
      { type: 'link', text: 'https://example.com/a_b_c*d', href: 'https://example.com/a_b_c*d' },
      text('*'),
    ]);
  });

  it('links addresses inside markup, and takes escaped markers literally', () => {
    expect(inline('**see https://example.com/x**')).toEqual([
      {
        type: 'strong',
        children: [text('see '), { type: 'link', text: 'https://example.com/x', href: 'https://example.com/x' }],
      },
    ]);
    expect(inline('\\*not italic\\* C:\\Users')).toEqual([text('*not italic* C:\\Users')]);
  });

  it('reads code spans of several backticks, like ```this```', () => {
    expect(inline('```let a = `b`;``` and ``')).toEqual([{ type: 'code', text: 'let a = `b`;' }, text(' and ``')]);
  });

  it('reads fenced code, quotes and lists as blocks, and keeps the line breaks of paragraphs', () => {
    const message = [
      'Hi,',
      '',
      'look:',
      '```js',
      'if (a) **b**;',
      '```',
      '> quoted *well*',
      '> > twice',
      '- one',
      '- two',
      '3. three',
      '4) four',
      'after',
    ].join('\n');
    expect(parseMarkdown(message)).toEqual([
      paragraph(text('Hi,\n\nlook:')),
      { type: 'code-block', text: 'if (a) **b**;' },
      {
        type: 'quote',
        children: [
          paragraph(text('quoted '), { type: 'emphasis', children: [text('well')] }),
          { type: 'quote', children: [paragraph(text('twice'))] },
        ],
      },
      { type: 'bullet-list', items: [[text('one')], [text('two')]] },
      { type: 'numbered-list', start: 3, items: [[text('three')], [text('four')]] },
      paragraph(text('after')),
    ]);
  });

  it('runs an unclosed fence to the end, as code', () => {
    expect(parseMarkdown('```\n<b>*x*</b>')).toEqual([{ type: 'code-block', text: '<b>*x*</b>' }]);
  });

  it('links a label to the http(s) address after it, and never a label that reads as another address', () => {
    expect(
      inline('See [the plan](https://example.com/plan), or [Foo](https://en.wikipedia.org/wiki/Foo_(bar)).'),
    ).toEqual([
      text('See '),
      { type: 'link', text: 'the plan', href: 'https://example.com/plan' },
      text(', or '),
      { type: 'link', text: 'Foo', href: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
      text('.'),
    ]);
    // Read as one address (brackets may be in one), which is not a valid one: no link at all.
    expect(inline('[https://bank.example](https://evil.example)')).toEqual([
      text('[https://bank.example](https://evil.example)'),
    ]);
    expect(inline('[bank.example https://bank.example ](https://evil.example)')).toEqual([
      text('[bank.example '),
      { type: 'link', text: 'https://bank.example', href: 'https://bank.example/' },
      text(' ]('),
      { type: 'link', text: 'https://evil.example', href: 'https://evil.example/' },
      text(')'),
    ]);
    expect(inline('[x](javascript:alert(1)) [](https://example.com) [a\nb](https://example.com)')).toEqual([
      text('[x](javascript:alert(1)) []('),
      { type: 'link', text: 'https://example.com', href: 'https://example.com/' },
      text(') [a\nb]('),
      { type: 'link', text: 'https://example.com', href: 'https://example.com/' },
      text(')'),
    ]);
  });

  it('has no headings, images or HTML: they stay as typed', () => {
    const typed = '# title ![i](https://x.org/i.png) <b>hi</b>';
    expect(plainTextOf(typed)).toBe(typed);
    expect(parseMarkdown('-not a list\n1.nor this')).toEqual([paragraph(text('-not a list\n1.nor this'))]);
  });
});

describe('parseMarkdown with hostile input', () => {
  const payloads = [
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '[x](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    'javascript:alert(1)',
    '**<img src=x onerror=alert(1)>**',
    '`<script>`',
    '> <iframe src="javascript:alert(1)">',
    '- [a](data:text/html,<script>alert(1)</script>)',
    'https://ok.example/"onmouseover="alert(1)',
    'http://x.org/<script>',
  ];

  it.each(payloads)('keeps %p as text, with no link but to http(s)', (payload) => {
    const blocks = parseMarkdown(payload);
    for (const href of hrefsIn(blocks)) expect(new URL(href).protocol).toMatch(/^https?:$/);
    // Every character typed is still shown, as text; markers are the only thing taken away.
    expect(plainTextOf(payload).replace(/[*`>\-\s]/g, '')).toBe(payload.replace(/[*`>\-\s]/g, ''));
  });

  it('never makes javascript: or data: addresses links, bare or in markup', () => {
    expect(hrefsIn(parseMarkdown('javascript:alert(1) *javascript:alert(1)* data:text/html,x'))).toEqual([]);
    expect(hrefsIn(parseMarkdown('https://a.example/"><script>'))).toEqual(['https://a.example/']);
  });

  /** What markdown may take away from what is shown: its markers, and the spaces and line breaks around them. */
  const MARKERS = /[*_~`>\\\-\s]/g;
  // Their parsing time, 4000 characters against 1000, is measured by `bun run bench:parsers` (linear means ≈4×).
  it.each(Object.entries(PATHOLOGICAL_MARKDOWN))(
    'parses 4000 characters of %s, losing no character',
    (_name, input) => {
      // Every character typed is still shown, as text; markers are the only thing taken away.
      const shown = plainTextOf(input).replace(MARKERS, '');
      expect(shown).toBe(input.replace(MARKERS, ''));
    },
  );
});

describe('plainTextOf', () => {
  it('gives the words without markers, one block a line', () => {
    expect(plainTextOf('**Hi** _there_, see `x`\n> quoted\n- one\n- two\n```\ncode\n```')).toBe(
      'Hi there, see x\nquoted\none\ntwo\ncode',
    );
  });

  it("gives an image's caption as alt text without its markers, and one without markup as typed", () => {
    expect(plainTextOf('Sunset, **pasted**')).toBe('Sunset, pasted');
    expect(plainTextOf('Sunset, pasted')).toBe('Sunset, pasted');
    expect(plainTextOf('2 * 3 = 6, snake_case_name.jpg')).toBe('2 * 3 = 6, snake_case_name.jpg');
  });
});

describe('wordsOf', () => {
  const file = (fileName: string, caption: string | null): MessageContent => ({
    type: 'attachment',
    attachment: { id: 'a', fileName, contentType: 'text/plain', byteSize: 1, kind: 'file', width: null, height: null },
    caption,
  });

  it("gives a text's words without markers", () => {
    expect(wordsOf({ type: 'text', text: '**Hi** _there_' })).toBe('Hi there');
  });

  it("gives a file's caption without markers, or else its name as it is", () => {
    expect(wordsOf(file('snake_case_name.jpg', 'Sunset, **pasted**'))).toBe('Sunset, pasted');
    expect(wordsOf(file('*draft*.txt', null))).toBe('*draft*.txt');
    expect(wordsOf(file('notes.txt', ''))).toBe('notes.txt');
  });

  it('says nothing for a deleted message', () => {
    expect(wordsOf({ type: 'deleted' })).toBe('');
  });
});

describe('mentions in markdown', () => {
  const mentions = { users: [{ id: 'ada-id', username: 'Ada' }], everyone: 'here' as const };

  it('draws the @names the server resolved as mentions, in any case and inside markers, and leaves the rest as text', () => {
    expect(parseMarkdown('hi @ada and @bob, **@ADA** @here @all', mentions)).toEqual([
      paragraph(
        text('hi '),
        { type: 'mention', text: '@ada', userId: 'ada-id' },
        text(' and @bob, '),
        { type: 'strong', children: [{ type: 'mention', text: '@ADA', userId: 'ada-id' }] },
        text(' '),
        { type: 'mention', text: '@here' },
        text(' '),
        { type: 'mention', text: '@all' },
      ),
    ]);
  });

  it('leaves names in code, in links and without resolved mentions alone', () => {
    expect(parseMarkdown('`@ada` https://example.com/@ada', mentions)).toEqual([
      paragraph({ type: 'code', text: '@ada' }, text(' '), {
        type: 'link',
        text: 'https://example.com/@ada',
        href: 'https://example.com/@ada',
      }),
    ]);
    expect(parseMarkdown('@ada')).toEqual([paragraph(text('@ada'))]);
    expect(parseMarkdown('- @ada\n> @here', mentions)).toEqual([
      { type: 'bullet-list', items: [[{ type: 'mention', text: '@ada', userId: 'ada-id' }]] },
      { type: 'quote', children: [paragraph({ type: 'mention', text: '@here' })] },
    ]);
  });
});
