import { describe, expect, it } from 'bun:test';
import { describeSystemEvent } from './system-events.ts';

const names: Record<string, string> = { ada: 'Ada', bob: 'Bob' };
const describe_ = (event: Parameters<typeof describeSystemEvent>[0]) =>
  describeSystemEvent(event, 'me', (userId) => names[userId] ?? 'Someone');

describe('describeSystemEvent', () => {
  it('names me "You" as the subject and "you" otherwise ("ada removed You" read wrong)', () => {
    expect(describe_({ kind: 'member_removed', by: 'ada', userId: 'me' })).toBe('Ada removed you');
    expect(describe_({ kind: 'member_added', by: 'me', userId: 'bob' })).toBe('You added Bob');
    expect(describe_({ kind: 'member_left', userId: 'me' })).toBe('You left');
  });

  it('tells each kind of change in words', () => {
    expect(describe_({ kind: 'created', by: 'ada' })).toBe('Ada started the conversation');
    expect(describe_({ kind: 'member_added', by: 'ada', userId: 'bob' })).toBe('Ada added Bob');
    expect(describe_({ kind: 'member_left', userId: 'bob' })).toBe('Bob left');
    expect(describe_({ kind: 'renamed', by: 'bob', title: 'Lunch' })).toBe('Bob renamed the group to “Lunch”');
    expect(describe_({ kind: 'role_changed', by: 'ada', userId: 'me', role: 'admin' })).toBe('Ada made you an admin');
    expect(describe_({ kind: 'role_changed', by: 'me', userId: 'bob', role: 'member' })).toBe(
      'You removed Bob as admin',
    );
    expect(describe_({ kind: 'role_changed', by: 'bob', userId: 'bob', role: 'member' })).toBe(
      'Bob stepped down as admin',
    );
    expect(describe_({ kind: 'owner_changed', by: 'ada', userId: 'bob' })).toBe('Ada made Bob the owner');
    expect(describe_({ kind: 'picture_changed', by: 'me', isRemoved: false })).toBe('You changed the group picture');
    expect(describe_({ kind: 'picture_changed', by: 'ada', isRemoved: true })).toBe('Ada removed the group picture');
  });
});
