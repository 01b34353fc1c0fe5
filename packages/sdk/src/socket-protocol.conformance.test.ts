import { describe, expect, it } from 'bun:test';
import { TRPC_PATH } from '@gopherchat/api';
import type { AppRouter } from '@gopherchat/server/router';
import { startTestServer, type TestServer } from '@gopherchat/server/testing';
import { createTRPCClient, createWSClient, type TRPCClient, TRPCClientError, wsLink } from '@trpc/client';
import { toAppError } from './errors.ts';
import { type ConnectionState, LiveSocket, liveSocketLink } from './live-socket.ts';
import { createChanges } from './testing/changes.ts';

/**
 * The server writes tRPC's WebSocket protocol partly by hand (its own
 * socket and tracked frames), and so does the SDK's LiveSocket. Here tRPC's
 * own client (createWSClient + wsLink) runs against the real server, and
 * LiveSocket runs the very same checks: both ends keep to the protocol
 * tRPC defines, not merely to each other.
 */

/** Told of everything the tests wait for: events, connection states, attempts to connect. */
const changes = createChanges();

interface SocketClientOptions {
  /** The WebSocket endpoint. */
  url: string;
  accessToken: string;
  /** Awaited before every attempt to open a socket: where a test holds a reconnect. */
  waitToConnect: () => Promise<void>;
}

/** A client whose every call goes over one WebSocket. */
interface SocketClient extends AsyncDisposable {
  api: TRPCClient<AppRouter>;
  /** The connection's state, as the client reports it. */
  state(): ConnectionState;
}

const socketClients: Array<{ name: string; connect: (options: SocketClientOptions) => SocketClient }> = [
  {
    name: 'tRPC’s createWSClient and wsLink',
    connect: ({ url, accessToken, waitToConnect }) => {
      const client = createWSClient({
        // Resolved before each socket opens, the first and every reconnect.
        url: async () => {
          await waitToConnect();
          return url;
        },
        connectionParams: { accessToken },
        retryDelayMs: () => 0,
      });
      let state: ConnectionState = client.connectionState.get().state;
      client.connectionState.subscribe({
        next: (next) => {
          state = next.state;
          changes.notify();
        },
      });
      return {
        api: createTRPCClient<AppRouter>({ links: [wsLink({ client })] }),
        state: () => state,
        [Symbol.asyncDispose]: () => client.close(),
      };
    },
  },
  {
    name: 'the SDK’s LiveSocket',
    connect: ({ url, accessToken, waitToConnect }) => {
      const socket = new LiveSocket({
        url,
        connectionParams: async () => ({ accessToken }),
        waitToConnect,
        retryDelayMs: () => 0,
        lazyCloseMs: 10_000,
        keepAlive: { intervalMs: 15_000, pongTimeoutMs: 5_000 },
        onStateChange: () => changes.notify(),
      });
      return {
        api: createTRPCClient<AppRouter>({ links: [liveSocketLink(socket)] }),
        state: () => socket.connectionState,
        [Symbol.asyncDispose]: async () => socket.close(),
      };
    },
  },
];

/** Lets sockets open, or holds every attempt to open one until released; counts the attempts that reached it. */
function connectionGate() {
  let held: Promise<void> | undefined;
  let release = () => {};
  let attempts = 0;
  return {
    get attempts() {
      return attempts;
    },
    waitToConnect: async () => {
      attempts++;
      changes.notify();
      await held;
    },
    hold() {
      held = new Promise((resolve) => {
        release = resolve;
      });
    },
    release() {
      held = undefined;
      release();
    },
  };
}

/** The texts of the messages a subscription to `api.events` delivers, in order. */
function followTexts(api: TRPCClient<AppRouter>) {
  const texts: string[] = [];
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const subscription = api.events.subscribe.subscribe(undefined, {
    onStarted: () => markStarted(),
    onData: ({ data }) => {
      for (const event of data) {
        if (event.kind === 'message' && event.message.content.type === 'text') texts.push(event.message.content.text);
      }
      changes.notify();
    },
  });
  return { texts, started, [Symbol.dispose]: () => subscription.unsubscribe() };
}

const socketUrl = (t: TestServer) => {
  const url = new URL(TRPC_PATH, t.url);
  url.protocol = 'ws:';
  return url.href;
};

/** The ways the server closes a socket, each of which the client must come back from. */
const serverCloses = [
  {
    how: 'asks every client to reconnect and closes its socket (a restart)',
    close: async (t: TestServer) => t.server.app.websockets.closeAll('test: restarting'),
  },
  {
    how: 'closes the socket without notice',
    // The transport closes a session's sockets this way; the session itself stays valid, so the client gets back in.
    close: async (t: TestServer, client: SocketClient) => {
      const sessions = await client.api.auth.sessions.list.query();
      const current = sessions.find((session) => session.isCurrent);
      if (!current) throw new Error('the socket’s own session is not listed');
      t.server.app.websockets.closeSessions([current.id], 'test: closing without notice');
    },
  },
];

describe.each(socketClients)('$name against the real server', ({ connect }) => {
  it('answers a query, a socket-only mutation and a failing call over the socket', async () => {
    await using t = await startTestServer({ label: 'socket-conformance' });
    const ada = await t.signUp();
    const gate = connectionGate();
    await using client = connect({
      url: socketUrl(t),
      accessToken: ada.accessToken,
      waitToConnect: gate.waitToConnect,
    });

    expect((await client.api.auth.me.query()).username).toBe(ada.username);
    // Only a socket can be renewed: over HTTP this call is refused.
    const renewed = await client.api.auth.renewSocket.mutate({ accessToken: ada.accessToken });
    expect(typeof renewed.expiresAt).toBe('string');
    const failed = await client.api.conversations.typing
      .mutate({ conversationId: crypto.randomUUID(), isTyping: true })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TRPCClientError);
    expect(toAppError(failed).appCode).toBe('NOT_FOUND');
    expect(gate.attempts).toBe(1);
  });

  it.each(serverCloses)(
    'resumes a tracked subscription after the server $how: the missed events once each, then the live ones',
    async ({ close }) => {
      await using t = await startTestServer({ label: 'socket-conformance' });
      const [ada, bob] = [await t.signUp(), await t.signUp()];
      const { id: bobId } = await bob.api.auth.me.query();
      const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bobId });
      const send = (text: string) =>
        ada.api.messages.send.mutate({ conversationId, clientMessageId: text, content: { type: 'text', text } });
      const gate = connectionGate();
      await using client = connect({
        url: socketUrl(t),
        accessToken: bob.accessToken,
        waitToConnect: gate.waitToConnect,
      });
      using received = followTexts(client.api);
      await received.started;
      await send('one');
      await changes.until(() => received.texts.includes('one'));

      // Held at the gate, the client has no socket while these are sent: it can only get them by resuming.
      gate.hold();
      const attempts = gate.attempts;
      await close(t, client);
      await changes.until(() => gate.attempts > attempts && client.state() === 'connecting');
      await send('two');
      await send('three');
      // A call made while reconnecting waits for the new socket.
      const me = client.api.auth.me.query();
      gate.release();
      expect((await me).id).toBe(bobId);

      // The newest event: anything the resume delivers, or could repeat, comes before it.
      await send('four');
      await changes.until(() => received.texts.includes('four'));
      expect(received.texts).toEqual(['one', 'two', 'three', 'four']);
    },
  );
});
