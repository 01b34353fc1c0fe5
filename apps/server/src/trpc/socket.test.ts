import { expect, it } from 'bun:test';
import type { ServerWebSocket } from 'bun';
import { TrpcSocket } from './socket.ts';

const SEND_BUFFER_LIMIT = 1_000;

/** A Bun socket stand-in whose send buffer holds however many bytes the test says. */
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
  const socket = new TrpcSocket(raw, SEND_BUFFER_LIMIT, () => {});
  const channel = socket.trackedChannel({ id: 7 }, new AbortController().signal);
  return { socket, channel, sent };
}

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
