import { describe, expect, it } from 'bun:test';
import { messageWith, summary } from '../../testing/fake-chat.ts';
import { alertFor, callsForMe, createArrivalWatch } from './desktop-alerts.ts';

const text = (
  seq: number,
  senderId: string,
  words: string,
  mentions?: { users: { id: string; username: string }[]; everyone?: 'all' | 'here' },
) => messageWith({ seq, senderId, content: { type: 'text', text: words }, ...(mentions && { mentions }) });

describe('desktop alerts', () => {
  const group = summary('c1', { kind: 'group', title: 'Crew' });
  const direct = summary('d1', { kind: 'direct', title: 'Ada' });

  it('tell of direct messages and mentions of me or everyone, never my own or others’ mentions', () => {
    expect(callsForMe(text(2, 'ada', 'hi'), direct, 'me')).toBe(true);
    expect(callsForMe(text(2, 'ada', 'hi'), group, 'me')).toBe(false);
    expect(callsForMe(text(2, 'ada', '@me', { users: [{ id: 'me', username: 'me' }] }), group, 'me')).toBe(true);
    expect(callsForMe(text(2, 'ada', '@here', { users: [], everyone: 'here' }), group, 'me')).toBe(true);
    expect(callsForMe(text(2, 'ada', '@bob', { users: [{ id: 'bob', username: 'bob' }] }), group, 'me')).toBe(false);
    expect(callsForMe(text(2, 'me', 'mine'), direct, 'me')).toBe(false);
  });

  it('say who and where, and the words, cut short', () => {
    expect(alertFor(text(3, 'ada', `**Lunch** ${'x'.repeat(200)}`), group, 'Ada')).toMatchObject({
      conversationId: 'c1',
      seq: 3,
      title: 'Ada in Crew',
    });
    expect(alertFor(text(3, 'ada', 'hi'), direct, 'Ada')).toMatchObject({ title: 'Ada', body: 'hi' });
    expect(alertFor(text(3, 'ada', 'x'.repeat(200)), direct, 'Ada').body.length).toBe(140);
  });

  it('tell of what arrives after the first look at the list, once each', () => {
    const watch = createArrivalWatch('me');
    const first = text(5, 'ada', 'old news');
    expect(watch([{ ...direct, lastSeq: 5, lastMessage: first }])).toEqual([]);
    const next = text(6, 'ada', 'new');
    const seen = watch([{ ...direct, lastSeq: 6, lastMessage: next }]);
    expect(seen.map(({ message }) => message.seq)).toEqual([6]);
    expect(watch([{ ...direct, lastSeq: 6, lastMessage: next }])).toEqual([]);
  });
});
