import { describe, expect, it } from 'bun:test';
import { reactorsInWords } from './reactors.ts';

const nameOf = (userId: string) => userId.toUpperCase();

describe('reactorsInWords', () => {
  it('names up to ten people, me last as "you", and counts the rest', () => {
    expect(reactorsInWords(['me'], 'me', nameOf)).toBe('you');
    expect(reactorsInWords(['ada'], 'me', nameOf)).toBe('ADA');
    expect(reactorsInWords(['me', 'ada', 'bob'], 'me', nameOf)).toBe('ADA, BOB and you');
    const many = Array.from({ length: 12 }, (_, index) => `p${index}`);
    expect(reactorsInWords(many, 'me', nameOf)).toBe('P0, P1, P2, P3, P4, P5, P6, P7, P8, P9 and 2 others');
    expect(reactorsInWords([...many.slice(0, 10), 'me'], 'me', nameOf)).toMatch(/P9 and 1 other$/);
  });
});
