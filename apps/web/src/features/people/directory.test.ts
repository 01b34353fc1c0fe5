import { describe, expect, it } from 'bun:test';
import type { MessageContent } from '@gopherchat/api';
import { messageWith } from '../../testing/fake-chat.ts';
import { userIdsNamedIn } from './directory.ts';

const message = (seq: number, senderId: string | null, content: MessageContent) =>
  messageWith({ conversationId: 'c', seq, senderId, content });

describe('userIdsNamedIn', () => {
  it('names the senders and everyone a note mentions, each once', () => {
    const messages = [
      message(1, null, { type: 'system', event: { kind: 'created', by: 'ada' } }),
      message(2, null, { type: 'system', event: { kind: 'member_removed', by: 'ada', userId: 'bob' } }),
      message(3, 'cy', { type: 'text', text: 'hi' }),
      message(4, 'bob', { type: 'deleted' }),
      message(5, null, { type: 'system', event: { kind: 'member_left', userId: 'dee' } }),
    ];
    expect([...userIdsNamedIn(messages)].sort()).toEqual(['ada', 'bob', 'cy', 'dee']);
  });
});
