import { describe, expect, it } from 'bun:test';
import { parseUsernames } from './usernames.ts';

describe('parseUsernames', () => {
  it('reads names separated by commas or spaces, with or without "@"', () => {
    expect(parseUsernames(' @bob, cy  dee,,')).toEqual(['bob', 'cy', 'dee']);
    expect(parseUsernames('')).toEqual([]);
  });
});
