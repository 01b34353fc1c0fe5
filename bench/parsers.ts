/**
 * How the message parsers' time grows with hostile input: for each input
 * that would be quadratic with a backtracking regex or a naive search for a
 * closer, the median time (of 9) to parse it whole against a quarter of it.
 * Linear time gives a growth near 4; quadratic near 16. Tests check what
 * these inputs parse to; speed is measured here (a timing bound in a test
 * failed CI on a busy machine).
 *
 *   bun run bench:parsers
 *
 * Prints one JSON line: per input, the whole input's median ms and the growth.
 */
import { findLinks } from '@gopherchat/api';
import { PATHOLOGICAL_MARKDOWN } from '../apps/web/src/features/chat/markdown.fixtures.ts';
import { plainTextOf } from '../apps/web/src/features/chat/markdown.ts';
import { percentile, round } from './stats.ts';

const ROUNDS = 9;

function medianMs(run: () => unknown): number {
  run(); // warm-up
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

function growth(parse: (input: string) => unknown, input: string) {
  const whole = medianMs(() => parse(input));
  const quarter = medianMs(() => parse(input.slice(0, input.length / 4)));
  return { ms: round(whole), growth: round(whole / Math.max(quarter, 0.001)) };
}

const inputs = {
  ...Object.fromEntries(
    Object.entries(PATHOLOGICAL_MARKDOWN).map(([name, input]) => [
      `markdown: ${name}`,
      () => growth(plainTextOf, input),
    ]),
  ),
  'links: trailing punctuation': () => growth(findLinks, `http://a${'.'.repeat(3990)}b http://a${'!'.repeat(3990)}`),
};

const results = Object.fromEntries(Object.entries(inputs).map(([name, measure]) => [name, measure()]));
const worst = Math.max(...Object.values(results).map((result) => result.growth));
console.log(JSON.stringify({ bench: 'parsers', characters: 4000, worstGrowth: worst, results }));
