import { loadTestServices } from '../env.ts';

/**
 * Inputs for the entry points' fuzz tests: seeded, so a failure replays with
 * its FUZZ_SEED, and bounded by count, so a run takes the same work on any
 * machine. FUZZ_ROUNDS scales the count for a longer run before a release.
 */

/** A small seeded generator (mulberry32): reproducible, not for secrets. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    bytes: (length: number) => Uint8Array.from({ length }, () => int(256)),
    hex: (length: number) => Array.from({ length }, () => int(16).toString(16)).join(''),
  };
}

export type Random = ReturnType<typeof seededRandom>;

/** FUZZ_SEED replays a run (CI runs the same inputs every time); FUZZ_ROUNDS multiplies the work before a release. */
export const { fuzzSeed, fuzzRounds } = loadTestServices();

/** Strings that have broken parsers, databases and URL handling somewhere. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff tail',
  '😀',
  '%',
  '%zz',
  '%E0%A4%A',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; drop table messages; --",
  '__proto__',
  'constructor',
  '$transportRequest',
  '-1',
  '99999999999999999999999999',
  '1e309',
  'NaN',
  '\r\n\r\nHTTP/1.1 200 OK',
  '0198f1d2-7c3e-7000-8000-000000000000',
];

const NASTY_NUMBERS = [0, -1, 1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 1e-300];

export function randomString(random: Random): string {
  if (random.chance(0.6)) return random.pick(NASTY_STRINGS);
  if (random.chance(0.5)) return 'x'.repeat(random.int(20_000));
  return Array.from({ length: random.int(40) }, () => String.fromCharCode(random.int(0x10000))).join('');
}

/** Any JSON value, nested up to `depth`, biased to the shapes procedures take. */
export function randomJson(random: Random, depth = 4): unknown {
  const roll = random.int(depth > 0 ? 9 : 6);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick(NASTY_NUMBERS);
    case 3:
    case 4:
    case 5:
      return randomString(random);
    case 6:
      return Array.from({ length: random.int(5) }, () => randomJson(random, depth - 1));
    default: {
      const keys = ['conversationId', 'text', 'title', 'content', 'type', 'seq', 'lastEventId', 'userId', 'limit'];
      const entries = Array.from({ length: random.int(6) }, () => [
        random.chance(0.8) ? random.pick(keys) : randomString(random),
        randomJson(random, depth - 1),
      ]);
      return Object.fromEntries(entries);
    }
  }
}

/** `depth` levels of arrays or objects around `inner`, as text (built without recursion). */
export function deeplyNested(depth: number, kind: 'array' | 'object', inner = '1'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

/** Text that is not JSON, or JSON cut short. */
export function malformedJson(random: Random): string {
  const valid = JSON.stringify(randomJson(random, 3)) ?? 'null';
  return random.pick([
    valid.slice(0, Math.max(1, random.int(valid.length))),
    `${valid}}`,
    '{"id":1,"method":',
    "{'single': 'quotes'}",
    '\u0000\u0001\u0002',
    randomString(random),
  ]);
}
