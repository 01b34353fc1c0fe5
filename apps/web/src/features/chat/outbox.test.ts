import { describe, expect, it } from 'bun:test';
import type { AppErrorData, Message } from '@gopherchat/api';
import { messageWith } from '../../testing/fake-chat.ts';
import { createManualClock } from '../../testing/manual-clock.ts';
import { createOutbox, type OutgoingMessage } from './outbox.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

class Refusal extends Error {
  constructor(readonly data: AppErrorData) {
    super(data.userMessage);
  }
}

const OFFLINE: AppErrorData = { appCode: 'UNAVAILABLE', userMessage: 'offline' };

/** A server that stores each client id once, like the real one, and can be switched off. */
function fakeServer() {
  const stored = new Map<string, Message>();
  const server = {
    stored,
    isReachable: true,
    refuse: new Set<string>(),
    /** Sends still to refuse as too fast, as the server's send limits do. */
    rateLimited: 0,
    async send(message: OutgoingMessage): Promise<Message> {
      if (!server.isReachable) throw new Refusal(OFFLINE);
      if (server.rateLimited > 0) {
        server.rateLimited--;
        throw new Refusal({ appCode: 'RATE_LIMITED', userMessage: 'You are sending messages too fast.' });
      }
      if (server.refuse.has(message.text))
        throw new Refusal({ appCode: 'NOT_FOUND', userMessage: 'You left that conversation.' });
      const existing = stored.get(message.clientMessageId);
      if (existing) return existing;
      const saved = messageWith({
        conversationId: message.conversationId,
        seq: stored.size + 1,
        senderId: 'me',
        clientMessageId: message.clientMessageId,
        content: { type: 'text', text: message.text },
        replyToSeq: message.replyToSeq ?? null,
      });
      stored.set(message.clientMessageId, saved);
      return saved;
    },
  };
  return server;
}

/** Transient failures are retried this long after: the test moves its clock past it. */
const RETRY_MS = 5;

function outboxOn(storage: MemoryStorage, server: ReturnType<typeof fakeServer>, clock = createManualClock()) {
  const sent: Message[] = [];
  const outbox = createOutbox({
    storage,
    storageKey: 'outbox',
    send: (message) => server.send(message),
    describe: (error) => (error instanceof Refusal ? error.data : OFFLINE),
    onSent: (message) => sent.push(message),
    onChange: () => {},
    retryDelayMs: () => RETRY_MS,
    clock,
  });
  return { outbox, sent, clock };
}

const write = (text: string) => ({
  clientMessageId: `id-${text}`,
  conversationId: 'c1',
  text,
  writtenAt: new Date().toISOString(),
});

describe('the outbox', () => {
  it('sends in the order written, one at a time, and forgets what the server acknowledged', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    const { outbox, sent } = outboxOn(storage, server);
    await Promise.all(['a', 'b', 'c'].map((text) => outbox.enqueue(write(text))));
    expect(sent.map((message) => message.seq)).toEqual([1, 2, 3]);
    expect(sent.map((message) => (message.content as { text: string }).text)).toEqual(['a', 'b', 'c']);
    expect(outbox.queue).toEqual([]);
    expect(storage.items.size).toBe(0);
  });

  it('backs off when the server says RATE_LIMITED, keeps the order, and marks nothing failed', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.rateLimited = 3;
    const { outbox, sent, clock } = outboxOn(storage, server);
    await Promise.all(['a', 'b', 'c'].map((text) => outbox.enqueue(write(text))));
    expect(server.rateLimited).toBe(2);
    expect(sent).toEqual([]);
    // Each refusal waits for the next retry; the third retry gets through, and the queue drains in order.
    await clock.advance(RETRY_MS * 3);
    expect(server.rateLimited).toBe(0);
    expect(sent.map((message) => (message.content as { text: string }).text)).toEqual(['a', 'b', 'c']);
    expect(outbox.queue).toEqual([]);
  });

  it('keeps messages written offline across a reload and sends each once when the server is back', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.isReachable = false;
    const before = outboxOn(storage, server);
    await Promise.all(['one', 'two', 'three'].map((text) => before.outbox.enqueue(write(text))));
    await before.clock.advance(RETRY_MS * 3);
    expect(before.sent).toEqual([]);
    before.outbox.dispose(); // the page reloads

    const after = outboxOn(storage, server);
    expect(after.outbox.queue.map((message) => message.text)).toEqual(['one', 'two', 'three']);
    server.isReachable = true;
    await after.outbox.kick();
    expect(after.sent).toHaveLength(3);
    expect([...server.stored.values()].map((message) => (message.content as { text: string }).text)).toEqual([
      'one',
      'two',
      'three',
    ]);
  });

  it('keeps what a message replies to across a reload, and sends it as a reply', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.isReachable = false;
    const before = outboxOn(storage, server);
    await before.outbox.enqueue({ ...write('answer'), replyToSeq: 7 });
    before.outbox.dispose(); // the page reloads

    const after = outboxOn(storage, server);
    expect(after.outbox.queue).toEqual([expect.objectContaining({ text: 'answer', replyToSeq: 7 })]);
    server.isReachable = true;
    await after.outbox.kick();
    expect(after.sent[0]?.replyToSeq).toBe(7);
  });

  it('never makes a second copy when an acknowledgement is lost and the message goes again', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    const send = server.send;
    let dropNextAck = true;
    server.send = async (message) => {
      const saved = await send(message);
      if (dropNextAck) {
        dropNextAck = false;
        throw new Refusal(OFFLINE); // stored, but the answer never arrived
      }
      return saved;
    };
    const { outbox, sent, clock } = outboxOn(storage, server);
    await outbox.enqueue(write('once'));
    expect(sent).toEqual([]);
    await clock.advance(RETRY_MS);
    expect(sent).toHaveLength(1);
    expect(server.stored.size).toBe(1);
  });

  it('marks a refused message failed, moves on, and sends it again when asked', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.refuse.add('refused');
    const { outbox, sent } = outboxOn(storage, server);
    void outbox.enqueue(write('refused'));
    await outbox.enqueue(write('fine'));
    expect(sent).toHaveLength(1);
    expect(outbox.queue).toEqual([
      expect.objectContaining({ text: 'refused', state: 'failed', failure: 'You left that conversation.' }),
    ]);
    server.refuse.clear();
    await outbox.retry('id-refused');
    expect(sent).toHaveLength(2);
    expect(outbox.queue).toEqual([]);
  });
});
