import { describe, expect, it } from 'bun:test';
import type { ConversationSummary } from '@gopherchat/api';
import { messageWith } from '../../testing/fake-chat.ts';
import {
  type CachedTimeline,
  readSnapshot,
  SNAPSHOT_MESSAGES,
  SNAPSHOT_TIMELINES,
  takeSnapshot,
  writeSnapshot,
} from './snapshot.ts';

const summary = (id: string): ConversationSummary => ({
  id,
  kind: 'group',
  title: `Group ${id}`,
  avatarKey: null,
  peer: null,
  memberCount: 2,
  myRole: 'owner',
  lastSeq: 0,
  lastDeliveredSeq: 0,
  lastReadSeq: 0,
  unreadCount: 0,
  unreadMentionSeqs: [],
  lastMessage: null,
  createdAt: '2025-01-01T00:00:00.000Z',
});

const message = (conversationId: string, seq: number) => messageWith({ conversationId, seq, senderId: 'me' });

const timeline = (conversationId: string, count: number): CachedTimeline => ({
  messages: Array.from({ length: count }, (_, index) => message(conversationId, index + 1)),
  hasOlder: false,
  members: {},
  names: { me: 'Me' },
  pointers: {},
});

class MemoryStorage {
  readonly items = new Map<string, string>();
  isFull = false;
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => {
    if (this.isFull) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  };
}

describe('chat snapshot', () => {
  it('keeps no window further back: offline, it would pass for the newest', () => {
    const snapshot = takeSnapshot([summary('c1'), summary('c2')], {
      c1: { ...timeline('c1', 3), hasNewer: true },
      c2: { ...timeline('c2', 3), hasNewer: false },
    });
    expect(Object.keys(snapshot.timelines)).toEqual(['c2']);
  });

  it('keeps the newest page of each loaded history, noting that older messages exist', () => {
    const snapshot = takeSnapshot([summary('a'), summary('b')], { a: timeline('a', 80) });
    expect(snapshot.conversations.map((conversation) => conversation.id)).toEqual(['a', 'b']);
    expect(Object.keys(snapshot.timelines)).toEqual(['a']);
    expect(snapshot.timelines.a?.messages.map((kept) => kept.seq)).toEqual(
      Array.from({ length: SNAPSHOT_MESSAGES }, (_, index) => 31 + index),
    );
    expect(snapshot.timelines.a?.hasOlder).toBe(true);
    expect(takeSnapshot([summary('a')], { a: timeline('a', 3) }).timelines.a?.hasOlder).toBe(false);
  });

  it('keeps the histories of the most recently active conversations only', () => {
    const ids = Array.from({ length: SNAPSHOT_TIMELINES + 5 }, (_, index) => `c${index}`);
    const snapshot = takeSnapshot(ids.map(summary), Object.fromEntries(ids.map((id) => [id, timeline(id, 1)])));
    expect(Object.keys(snapshot.timelines)).toEqual(ids.slice(0, SNAPSHOT_TIMELINES));
    expect(snapshot.conversations).toHaveLength(ids.length);
  });

  it('reads back what it wrote, and ignores what it cannot read', () => {
    const storage = new MemoryStorage();
    const snapshot = takeSnapshot([summary('a')], { a: timeline('a', 2) });
    writeSnapshot(storage, 'key', snapshot);
    expect(readSnapshot(storage, 'key')).toEqual(snapshot);
    expect(readSnapshot(storage, 'missing')).toBeUndefined();
    storage.items.set('broken', '{not json');
    expect(readSnapshot(storage, 'broken')).toBeUndefined();
    storage.items.set('old', JSON.stringify({ ...snapshot, version: 0 }));
    expect(readSnapshot(storage, 'old')).toBeUndefined();
  });

  // Its summaries have no unreadMentionSeqs: read, the conversation list would throw before the server answered.
  it('ignores a snapshot from before summaries listed unread mentions', () => {
    const storage = new MemoryStorage();
    const { unreadMentionSeqs: _absent, ...older } = summary('a');
    storage.items.set('v2', JSON.stringify({ version: 2, conversations: [older], timelines: {} }));
    expect(readSnapshot(storage, 'v2')).toBeUndefined();
  });

  it('keeps the previous snapshot when storage is full', () => {
    const storage = new MemoryStorage();
    const first = takeSnapshot([summary('a')], {});
    writeSnapshot(storage, 'key', first);
    storage.isFull = true;
    writeSnapshot(storage, 'key', takeSnapshot([summary('b')], {}));
    expect(readSnapshot(storage, 'key')).toEqual(first);
  });
});
