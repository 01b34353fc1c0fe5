import { expect, it } from 'bun:test';
import type { ServerWebSocket } from 'bun';
import { FlushScheduler, TrpcSocket } from './socket.ts';

const SEND_BUFFER_LIMIT = 1_000;

/**
 * A Bun socket stand-in that records what is written, its send buffer holding
 * however many bytes the test says. Its clock stands still, so everything it
 * writes after its first write counts as busy, and its tick comes when the
 * test calls `tick()`.
 */
function socketWithBuffered(bytes: number) {
  const sent: string[] = [];
  const raw = {
    getBufferedAmount: () => bytes,
    cork: (write: () => void) => write(),
    send: (frame: string) => {
      sent.push(frame);
      return frame.length;
    },
  } as unknown as ServerWebSocket<unknown>;
  const ticks: Array<() => void> = [];
  const scheduler = new FlushScheduler({
    now: () => 0,
    afterTurn: (flush) => setImmediate(flush),
    afterTick: (flush) => ticks.push(flush),
  });
  const socket = new TrpcSocket(raw, SEND_BUFFER_LIMIT, () => {}, scheduler);
  const channel = socket.trackedChannel({ id: 7 }, new AbortController().signal);
  return { socket, channel, sent, tick: () => ticks.shift()?.() };
}

/** Resolves once the event-loop turn is over, with its end-of-turn writes done. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

const itemsOf = (frames: string[]) =>
  frames.flatMap((frame) => (JSON.parse(frame) as { result: { data: { data: unknown[] } } }).result.data.data);

it('drops droppable items first while the send buffer is over half full, and keeps every other item', () => {
  const congested = socketWithBuffered(SEND_BUFFER_LIMIT * 0.6);
  congested.channel.push('1', '{"kind":"message"}');
  congested.channel.push('1', '{"kind":"typing"}', true);
  congested.socket.flush();
  expect(itemsOf(congested.sent)).toEqual([{ kind: 'message' }]);

  const clear = socketWithBuffered(SEND_BUFFER_LIMIT * 0.4);
  clear.channel.push('1', '{"kind":"message"}');
  clear.channel.push('1', '{"kind":"typing"}', true);
  clear.socket.flush();
  expect(itemsOf(clear.sent)).toEqual([{ kind: 'message' }, { kind: 'typing' }]);
});

it('writes a quiet socket’s data at the end of the turn, and holds a busy one’s for the shared tick, in one frame', async () => {
  const { channel, sent, tick } = socketWithBuffered(0);
  channel.push('1', '{"n":1}');
  await nextTurn();
  expect(itemsOf(sent)).toEqual([{ n: 1 }]);

  // It just wrote: what follows waits for the tick and leaves together.
  channel.push('2', '{"n":2}');
  await nextTurn();
  channel.push('3', '{"n":3}');
  await nextTurn();
  expect(sent.length).toBe(1);
  tick();
  expect(sent.length).toBe(2);
  expect(itemsOf(sent.slice(1))).toEqual([{ n: 2 }, { n: 3 }]);
  // The frame is tracked by its last item, as always.
  expect((JSON.parse(sent[1] ?? '{}') as { result: { id: string } }).result.id).toBe('3');
});

it('never holds back tRPC’s own answers, and writes held data with them in order', async () => {
  const { socket, channel, sent } = socketWithBuffered(0);
  channel.push('1', '{"n":1}');
  await nextTurn();
  channel.push('2', '{"n":2}');
  socket.send('{"id":9,"result":{"type":"data","data":null}}');
  await nextTurn();
  expect(sent.length).toBe(3);
  expect(itemsOf(sent.slice(1, 2))).toEqual([{ n: 2 }]);
  expect(sent[2]).toBe('{"id":9,"result":{"type":"data","data":null}}');
});
