/**
 * Inputs that would take quadratic time or more with a backtracking regex or
 * a naive search for the closer: the parser's tests check what they parse to,
 * `bench/parsers.ts` how its time grows with their length.
 */
export const PATHOLOGICAL_MARKDOWN: Record<string, string> = {
  asterisks: '*'.repeat(4000),
  'alternating asterisks': '* '.repeat(2000),
  underscores: '_a'.repeat(2000),
  'asterisks between letters': 'a*'.repeat(2000),
  'bold between letters': 'a**'.repeat(1333),
  backticks: '`'.repeat(4000),
  'backtick runs of growing length': Array.from({ length: 88 }, (_, n) => '`'.repeat(n + 1)).join('x'),
  'unclosed openers': '*a '.repeat(1333),
  'nested openers': `${'*_~~'.repeat(1000)}x`,
  'nested quotes': '>'.repeat(4000),
  'list lines': '- a\n'.repeat(1000),
  'fence lines': '```\n'.repeat(1000),
  escapes: '\\*'.repeat(2000),
  links: 'http://a.b/*_ '.repeat(285),
};
