import { describe, expect, it } from 'bun:test';
import { resolve } from 'node:path';
import { collect, eventually } from '../../testing/collect.ts';
import { startTestServer } from '../../testing/test-server.ts';

const STALLED_CLIENT = resolve(import.meta.dir, '../../testing/stalled-websocket.py');

describe('a consumer that stops reading', () => {
  it('is disconnected once its send buffer is full, while everyone else keeps receiving in order', async () => {
    await using t = await startTestServer({
      label: 'slow-consumer',
      env: { WEBSOCKET_SEND_BUFFER_LIMIT: String(64 * 1024) },
    });
    const ada = await t.signUp();
    const bob = await t.signUp();
    const bobId = (await bob.api.auth.me.query()).id;
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Firehose',
      memberIds: [bobId],
    });

    const received = collect<string>((handlers) =>
      ada.api.events.subscribe.subscribe(undefined, {
        onStarted: handlers.onStarted,
        onError: handlers.onError,
        onData: ({ data }) => {
          for (const event of data) {
            if (event.kind === 'message' && event.message.content.type === 'text')
              handlers.onData(event.message.content.text);
          }
        },
      }),
    );
    await received.started;
    const stalled = Bun.spawn(['python3', STALLED_CLIENT, '127.0.0.1', String(t.url.port), bob.accessToken], {
      stdout: 'pipe',
    });
    try {
      const sockets = t.server.app.websockets;
      await eventually(() => sockets.connectionCount === 2, 'the stalled client connected');

      // Far more than the kernel's socket buffers and the 64 KiB limit together.
      const body = 'x'.repeat(3_900);
      const total = 1_500;
      for (let start = 0; start < total; start += 100) {
        await Promise.all(
          Array.from({ length: 100 }, (_, offset) =>
            ada.api.messages.send.mutate({
              conversationId,
              clientMessageId: `flood-${start + offset}`,
              content: { type: 'text', text: `${start + offset}:${body}` },
            }),
          ),
        );
      }
      await eventually(() => sockets.connectionCount === 1, 'the stalled client was disconnected', 10_000);
      await received.waitFor(total, 20_000);
      expect(received.events.map((text) => Number(text.split(':')[0]))).toEqual(
        Array.from({ length: total }, (_, index) => index),
      );
    } finally {
      stalled.kill();
      received[Symbol.dispose]();
    }
  });
});
