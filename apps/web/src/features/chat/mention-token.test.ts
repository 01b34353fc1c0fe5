import { describe, expect, it } from 'bun:test';
import { mentionBeforeCaret, mentionCandidates } from './mention-token.ts';

describe('mentionBeforeCaret', () => {
  it('finds the @name being typed at the caret, or a lone @', () => {
    expect(mentionBeforeCaret('hi @ad', 6)).toEqual({ start: 3, end: 6, name: 'ad' });
    expect(mentionBeforeCaret('@', 1)).toEqual({ start: 0, end: 1, name: '' });
    expect(mentionBeforeCaret('(@bob.s', 7)).toEqual({ start: 1, end: 7, name: 'bob.s' });
  });

  it('takes no email address, no word after the caret’s, and no @ with a space after it', () => {
    expect(mentionBeforeCaret('ada@exa', 7)).toBeUndefined();
    expect(mentionBeforeCaret('@ada and', 8)).toBeUndefined();
    expect(mentionBeforeCaret('@ada and', 4)).toEqual({ start: 0, end: 4, name: 'ada' });
  });
});

describe('mentionCandidates', () => {
  const people = [
    { userId: '1', username: 'zoe', displayName: 'Zoë Adams' },
    { userId: '2', username: 'adam', displayName: 'Adam Ng' },
    { userId: '3', username: 'bob', displayName: 'Robert Ada' },
  ];

  it('offers usernames that begin so first, then names with a word that does, case and accents aside', () => {
    expect(mentionCandidates(people, 'ad').map((person) => person.username)).toEqual(['adam', 'bob', 'zoe']);
    expect(mentionCandidates(people, 'ZOE').map((person) => person.username)).toEqual(['zoe']);
    expect(mentionCandidates(people, '').map((person) => person.username)).toEqual(['adam', 'bob', 'zoe']);
  });
});
