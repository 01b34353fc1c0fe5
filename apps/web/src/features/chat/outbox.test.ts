import { describe, expect, it } from 'bun:test';
import type { AppErrorData, Message } from '@gopherchat/api';
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
      await Bun.sleep(1);
      if (!server.isReachable) throw new Refusal(OFFLINE);
      if (server.rateLimited > 0) {
        server.rateLimited--;
        throw new Refusal({ appCode: 'RATE_LIMITED', userMessage: 'You are sending messages too fast.' });
      }
      if (server.refuse.has(message.text))
        throw new Refusal({ appCode: 'NOT_FOUND', userMessage: 'You left that conversation.' });
      const existing = stored.get(message.clientMessageId);
      if (existing) return existing;
      const saved: Message = {
        id: crypto.randomUUID(),
        conversationId: message.conversationId,
        seq: stored.size + 1,
        senderId: 'me',
        clientMessageId: message.clientMessageId,
        content: { type: 'text', text: message.text },
        replyToSeq: message.replyToSeq ?? null,
        createdAt: new Date().toISOString(),
        editedAt: null,
        deletedAt: null,
      };
      stored.set(message.clientMessageId, saved);
      return saved;
    },
  };
  return server;
}

function outboxOn(storage: MemoryStorage, server: ReturnType<typeof fakeServer>) {
  const sent: Message[] = [];
  const outbox = createOutbox({
    storage,
    storageKey: 'outbox',
    send: (message) => server.send(message),
    describe: (error) => (error instanceof Refusal ? error.data : OFFLINE),
    onSent: (message) => sent.push(message),
    onChange: () => {},
    retryDelayMs: () => 5,
  });
  return { outbox, sent };
}

const write = (text: string) => ({
  clientMessageId: `id-${text}`,
  conversationId: 'c1',
  text,
  writtenAt: new Date().toISOString(),
});

const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2_000) throw new Error('timed out');
    await Bun.sleep(5);
  }
};

describe('the outbox', () => {
  it('sends in the order written, one at a time, and forgets what the server acknowledged', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    const { outbox, sent } = outboxOn(storage, server);
    for (const text of ['a', 'b', 'c']) outbox.enqueue(write(text));
    await until(() => sent.length === 3);
    expect(sent.map((message) => message.seq)).toEqual([1, 2, 3]);
    expect(sent.map((message) => (message.content as { text: string }).text)).toEqual(['a', 'b', 'c']);
    expect(outbox.queue).toEqual([]);
    expect(storage.items.size).toBe(0);
  });

  it('backs off when the server says RATE_LIMITED, keeps the order, and marks nothing failed', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.rateLimited = 3;
    const { outbox, sent } = outboxOn(storage, server);
    for (const text of ['a', 'b', 'c']) outbox.enqueue(write(text));
    await until(() => sent.length === 3);
    expect(server.rateLimited).toBe(0);
    expect(sent.map((message) => (message.content as { text: string }).text)).toEqual(['a', 'b', 'c']);
    expect(outbox.queue).toEqual([]);
  });

  it('keeps messages written offline across a reload and sends each once when the server is back', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.isReachable = false;
    const before = outboxOn(storage, server);
    for (const text of ['one', 'two', 'three']) before.outbox.enqueue(write(text));
    await Bun.sleep(30);
    expect(before.sent).toEqual([]);
    before.outbox.dispose(); // the page reloads

    const after = outboxOn(storage, server);
    expect(after.outbox.queue.map((message) => message.text)).toEqual(['one', 'two', 'three']);
    server.isReachable = true;
    after.outbox.kick();
    await until(() => after.sent.length === 3);
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
    before.outbox.enqueue({ ...write('answer'), replyToSeq: 7 });
    await Bun.sleep(20);
    before.outbox.dispose(); // the page reloads

    const after = outboxOn(storage, server);
    expect(after.outbox.queue).toEqual([expect.objectContaining({ text: 'answer', replyToSeq: 7 })]);
    server.isReachable = true;
    after.outbox.kick();
    await until(() => after.sent.length === 1);
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
    const { outbox, sent } = outboxOn(storage, server);
    outbox.enqueue(write('once'));
    await until(() => sent.length === 1);
    expect(server.stored.size).toBe(1);
  });

  it('marks a refused message failed, moves on, and sends it again when asked', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.refuse.add('refused');
    const { outbox, sent } = outboxOn(storage, server);
    outbox.enqueue(write('refused'));
    outbox.enqueue(write('fine'));
    await until(() => sent.length === 1);
    expect(outbox.queue).toEqual([
      expect.objectContaining({ text: 'refused', state: 'failed', failure: 'You left that conversation.' }),
    ]);
    server.refuse.clear();
    outbox.retry('id-refused');
    await until(() => sent.length === 2);
    expect(outbox.queue).toEqual([]);
  });
});
