import { describe, expect, it } from 'bun:test';
import { MESSAGE_TEXT_MAX_LENGTH } from '@gopherchat/api';
import { messageLength } from './message-length.ts';

describe('messageLength', () => {
  it('shows no counter for an ordinary message', () => {
    expect(messageLength('hello')).toEqual({ isOver: false, counter: undefined, problem: undefined });
  });

  it('counts near the limit, and lets the limit itself through', () => {
    expect(messageLength('a'.repeat(3_650))).toMatchObject({ isOver: false, counter: '3,650 / 4,000' });
    expect(messageLength('a'.repeat(MESSAGE_TEXT_MAX_LENGTH))).toMatchObject({ isOver: false, problem: undefined });
  });

  it('stops a paste over the limit with how far over it is (a 4 100-character paste was cut and sent)', () => {
    expect(messageLength('a'.repeat(4_100))).toEqual({
      isOver: true,
      counter: '4,100 / 4,000',
      problem: 'This message is 100 characters over the limit of 4,000. Shorten it, or send it as a file.',
    });
    expect(messageLength('a'.repeat(4_001)).problem).toContain('1 character over');
  });

  it('counts as the server does: trimmed, in UTF-16 units', () => {
    expect(messageLength(`  ${'a'.repeat(MESSAGE_TEXT_MAX_LENGTH)}\n\n`).isOver).toBe(false);
    // An emoji is two units: 2 001 of them are over.
    expect(messageLength('😀'.repeat(2_001)).isOver).toBe(true);
  });
});
