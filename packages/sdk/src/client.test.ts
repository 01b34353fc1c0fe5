import { expect, it } from 'bun:test';
import { CALLS_PER_BATCH_MAX } from '@gopherchat/api';
import { createGopherClient } from './client.ts';

/** A server that answers every call, over HTTP (tRPC's batch format) or over its WebSocket, and notes which. */
function startRecordingServer() {
  const calls: Array<{ path: string; over: 'http' | 'socket' }> = [];
  /** How many calls each HTTP request carried. */
  const batchSizes: number[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request, server) {
      if (server.upgrade(request, { data: undefined })) return undefined;
      const paths = new URL(request.url).pathname.replace('/trpc/', '').split(',');
      for (const path of paths) calls.push({ path, over: 'http' });
      batchSizes.push(paths.length);
      return Response.json(paths.map(() => ({ result: { data: { id: 'from-http' } } })));
    },
    websocket: {
      message(socket, raw) {
        const message = JSON.parse(String(raw)) as { id?: number; method: string; params?: { path: string } };
        if (message.method === 'subscription') {
          socket.send(JSON.stringify({ id: message.id, result: { type: 'started' } }));
        } else if (message.method === 'mutation' && message.params) {
          calls.push({ path: message.params.path, over: 'socket' });
          socket.send(JSON.stringify({ id: message.id, result: { type: 'data', data: { id: 'from-socket' } } }));
        }
      },
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, calls, batchSizes, [Symbol.dispose]: () => server.stop(true) };
}

it('sends messages over the socket while it is open, and over HTTP when it is not', async () => {
  using server = startRecordingServer();
  await using client = createGopherClient({ url: server.url, accessToken: () => 'token' });
  const send = (text: string) =>
    client.api.messages.send.mutate({
      conversationId: crypto.randomUUID(),
      clientMessageId: text,
      content: { type: 'text', text },
    });

  await send('before any socket');
  const subscription = await new Promise<{ unsubscribe(): void }>((started) => {
    const opened = client.api.events.subscribe.subscribe(undefined, { onStarted: () => started(opened) });
  });
  await send('on the open socket');
  subscription.unsubscribe();
  await client.close();
  await send('after the socket closed');

  expect(server.calls).toEqual([
    { path: 'messages.send', over: 'http' },
    { path: 'messages.send', over: 'socket' },
    { path: 'messages.send', over: 'http' },
  ]);
});

it('splits calls made in one tick into batches the server accepts (a 60-call batch was refused whole)', async () => {
  using server = startRecordingServer();
  await using client = createGopherClient({ url: server.url, accessToken: () => 'token' });
  const calls = Array.from({ length: CALLS_PER_BATCH_MAX + 10 }, () => client.api.system.info.query());
  await Promise.all(calls);
  expect(server.batchSizes.reduce((sum, size) => sum + size, 0)).toBe(CALLS_PER_BATCH_MAX + 10);
  expect(Math.max(...server.batchSizes)).toBeLessThanOrEqual(CALLS_PER_BATCH_MAX);
});
