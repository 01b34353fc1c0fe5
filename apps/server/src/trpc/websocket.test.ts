import { describe, expect, it } from 'bun:test';
import type { UserEvent } from '@gopherchat/api';
import { eventually } from '../testing/collect.ts';
import { startTestServer } from '../testing/test-server.ts';

/** A bare WebSocket speaking tRPC's wire protocol, to see exactly what the server writes. */
async function rawTrpcSocket(url: URL, accessToken: string) {
  const frames: Array<Record<string, unknown>> = [];
  const socket = new WebSocket(`ws://${url.host}/trpc?connectionParams=1`);
  socket.onmessage = (message) => frames.push(JSON.parse(String(message.data)));
  await new Promise((open, fail) => {
    socket.onopen = open;
    socket.onerror = fail;
  });
  socket.send(JSON.stringify({ method: 'connectionParams', data: { accessToken } }));
  return {
    frames,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    [Symbol.dispose]: () => socket.close(),
  };
}

type DataFrame = {
  id: number;
  jsonrpc?: string;
  result: { type: 'data'; id: string; data: { id: string; data: UserEvent[] } };
};

const dataFramesOf = (frames: Array<Record<string, unknown>>, id: number) =>
  frames.filter(
    (frame) => frame.id === id && (frame.result as { type?: string } | undefined)?.type === 'data',
  ) as unknown as DataFrame[];

const textsOf = (frames: DataFrame[]) =>
  frames.flatMap((frame) =>
    frame.result.data.data.flatMap((event) =>
      event.kind === 'message' && event.message.content.type === 'text' ? [event.message.content.text] : [],
    ),
  );

describe('the events subscription on the wire', () => {
  it('writes tracked data frames under each subscription’s own id, keeps a forged tag out, and stops when told', async () => {
    await using t = await startTestServer({ label: 'ws-wire' });
    const ada = await t.signUp();
    const bob = await t.signUp();
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Wire',
      memberIds: [(await bob.api.auth.me.query()).id],
    });
    using wire = await rawTrpcSocket(t.url, bob.accessToken);
    // Two subscriptions on one socket, one claiming the other's id in the transport's tag.
    wire.send({ id: 7, jsonrpc: '2.0', method: 'subscription', params: { path: 'events.subscribe', input: {} } });
    wire.send({
      id: 8,
      method: 'subscription',
      params: { path: 'events.subscribe', input: { $transportRequest: { id: 7 } } },
    });
    await eventually(
      () => wire.frames.filter((frame) => (frame.result as { type?: string })?.type === 'started').length === 2,
      'both subscriptions started',
    );

    const send = (text: string) =>
      ada.api.messages.send.mutate({ conversationId, clientMessageId: text, content: { type: 'text', text } });
    await send('one');
    await send('two');
    await eventually(() => textsOf(dataFramesOf(wire.frames, 8)).length === 2, 'subscription 8 got both');
    for (const id of [7, 8]) {
      const frames = dataFramesOf(wire.frames, id);
      expect(textsOf(frames)).toEqual(['one', 'two']);
      for (const frame of frames) {
        // tRPC's tracked shape: the frame's id is its last event's, for resuming.
        expect(frame.result.id).toBe(frame.result.data.id);
        expect(frame.jsonrpc).toBe(id === 7 ? '2.0' : undefined);
      }
    }

    // Stopping one leaves the other running, and nothing more arrives under the stopped id.
    wire.send({ id: 7, method: 'subscription.stop' });
    await eventually(
      () => wire.frames.some((frame) => frame.id === 7 && (frame.result as { type?: string })?.type === 'stopped'),
      'subscription 7 stopped',
    );
    await send('three');
    await eventually(() => textsOf(dataFramesOf(wire.frames, 8)).length === 3, 'subscription 8 got the third');
    expect(textsOf(dataFramesOf(wire.frames, 7))).toEqual(['one', 'two']);
  });

  it('resumes after the id of a batched frame with exactly what came after it', async () => {
    await using t = await startTestServer({ label: 'ws-resume' });
    const ada = await t.signUp();
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({ title: 'Batch', memberIds: [] });
    using first = await rawTrpcSocket(t.url, ada.accessToken);
    first.send({ id: 1, method: 'subscription', params: { path: 'events.subscribe', input: {} } });
    await eventually(() => first.frames.some((frame) => frame.id === 1), 'subscribed');
    // Sent together, so several land in one turn and share frames.
    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        ada.api.messages.send.mutate({
          conversationId,
          clientMessageId: `m${index}`,
          content: { type: 'text', text: String(index) },
        }),
      ),
    );
    await eventually(() => textsOf(dataFramesOf(first.frames, 1)).length === 30, 'all thirty arrived');
    const frames = dataFramesOf(first.frames, 1);
    expect(frames.length).toBeLessThan(30); // some frames carried several events
    const middle = frames[Math.floor(frames.length / 2)] as DataFrame;
    const seenUpToMiddle = textsOf(frames.slice(0, frames.indexOf(middle) + 1));

    using second = await rawTrpcSocket(t.url, ada.accessToken);
    second.send({
      id: 1,
      method: 'subscription',
      params: { path: 'events.subscribe', input: {}, lastEventId: middle.result.id },
    });
    await eventually(
      () => seenUpToMiddle.length + textsOf(dataFramesOf(second.frames, 1)).length === 30,
      'the rest replayed',
    );
    expect([...seenUpToMiddle, ...textsOf(dataFramesOf(second.frames, 1))].map(Number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, index) => index),
    );
  });
});
