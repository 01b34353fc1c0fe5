import { describe, expect, it } from 'bun:test';
import type { Message } from '@gopherchat/api';
import { ME, message } from '../../testing/fake-chat.ts';
import { describeArrival } from './arrivals.ts';

const nameOf = (userId: string) => (userId === ME.id ? 'You' : `Name of ${userId}`);
const arriving = (content: Message['content']): Message => ({ ...message('c', 7, 'bob'), content });

describe('describeArrival', () => {
  it('says who wrote what, as plain words', () => {
    expect(describeArrival(arriving({ type: 'text', text: '**Lunch** at _noon_?' }), ME.id, nameOf)).toBe(
      'Name of bob: Lunch at noon?',
    );
  });

  it('says who shared which file, with its caption', () => {
    const attachment = {
      id: 'a1',
      fileName: 'plan.pdf',
      contentType: 'application/pdf',
      byteSize: 10,
      kind: 'file' as const,
      width: null,
      height: null,
    };
    expect(describeArrival(arriving({ type: 'attachment', attachment, caption: 'The *plan*' }), ME.id, nameOf)).toBe(
      'Name of bob shared plan.pdf: The plan',
    );
    expect(describeArrival(arriving({ type: 'attachment', attachment, caption: null }), ME.id, nameOf)).toBe(
      'Name of bob shared plan.pdf',
    );
  });

  it('reads a note as the list shows it, and nothing for a deletion', () => {
    const note = arriving({ type: 'system', event: { kind: 'member_added', by: 'bob', userId: ME.id } });
    expect(describeArrival({ ...note, senderId: null }, ME.id, nameOf)).toBe('Name of bob added you');
    expect(describeArrival(arriving({ type: 'deleted' }), ME.id, nameOf)).toBeUndefined();
  });
});
