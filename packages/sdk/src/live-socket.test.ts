import { afterEach, describe, expect, it } from 'bun:test';
import type { AppRouter } from '@gopherchat/server/router';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import type { Server, ServerWebSocket } from 'bun';
import { type ConnectionState, LiveSocket, type LiveSocketOptions, liveSocketLink } from './live-socket.ts';

interface WireMessage {
  id?: number | null;
  method?: string;
  params?: { path: string; input: unknown; lastEventId?: string };
  data?: unknown;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * A server speaking tRPC's WebSocket protocol by script: each test decides
 * what it answers, so the client's side of the protocol (resume, loss,
 * keep-alive) can be driven into the cases a real server rarely produces.
 * It stops after the test.
 */
function startScriptedServer(answer: (socket: ServerWebSocket<unknown>, message: WireMessage | string) => void) {
  const connections: Array<{ socket: ServerWebSocket<unknown>; received: Array<WireMessage | string> }> = [];
  const server: Server<unknown> = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: (request, server) =>
      server.upgrade(request, { data: undefined }) ? undefined : new Response('upgrade', { status: 426 }),
    websocket: {
      open(socket) {
        connections.push({ socket, received: [] });
      },
      message(socket, raw) {
        const text = String(raw);
        const message = text === 'PING' || text === 'PONG' ? text : (JSON.parse(text) as WireMessage);
        connections.find((connection) => connection.socket === socket)?.received.push(message);
        answer(socket, message);
      },
    },
  });
  cleanups.push(() => server.stop(true));
  return { url: `ws://127.0.0.1:${server.port}/trpc`, connections };
}

/** What the client sent second on its `connection`-th socket: after the connection parameters, its first request. */
const firstRequestOn = (server: ReturnType<typeof startScriptedServer>, connection: number) =>
  server.connections[connection]?.received[1] as WireMessage | undefined;

const send = (socket: ServerWebSocket<unknown>, message: unknown) => socket.send(JSON.stringify(message));

/** Answers every subscription with `started` and a tracked event, named after the connection's order. */
function startingServer() {
  let count = 0;
  return startScriptedServer((socket, message) => {
    if (typeof message === 'string' || message.method !== 'subscription') return;
    count++;
    send(socket, { id: message.id, result: { type: 'started' } });
    send(socket, { id: message.id, result: { type: 'data', id: `e${count}`, data: { id: `e${count}`, data: [] } } });
  });
}

async function eventually(check: () => boolean, what: string) {
  for (const deadline = Date.now() + 5_000; !check(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await Bun.sleep(5);
  }
}

function connect(url: string, options: Partial<LiveSocketOptions> = {}) {
  const states: Array<[ConnectionState, boolean]> = [];
  const closeCodes: Array<number | undefined> = [];
  const socket = new LiveSocket({
    url,
    connectionParams: async () => ({ accessToken: 'token' }),
    retryDelayMs: () => 0,
    lazyCloseMs: 10_000,
    keepAlive: { intervalMs: 10_000, pongTimeoutMs: 5_000 },
    onStateChange: (state, isLoss) => states.push([state, isLoss]),
    onClose: (code) => closeCodes.push(code),
    ...options,
  });
  cleanups.push(() => socket.close());
  const api = createTRPCClient<AppRouter>({ links: [liveSocketLink(socket)] });
  return { socket, api, states, closeCodes };
}

function follow(api: ReturnType<typeof connect>['api']) {
  const eventIds: string[] = [];
  const subscription = api.events.subscribe.subscribe(undefined, {
    onData: (envelope) => eventIds.push(envelope.id),
  });
  cleanups.push(() => subscription.unsubscribe());
  return { eventIds, subscription };
}

describe('the SDK’s live socket', () => {
  it('sends the connection parameters first, and resubscribes from the last event id after losing the socket', async () => {
    const server = startingServer();
    const { api, states } = connect(server.url);
    const { eventIds } = follow(api);
    await eventually(() => eventIds.length === 1, 'the first event came');
    const [first] = server.connections;
    expect(first?.received[0]).toEqual({ method: 'connectionParams', data: { accessToken: 'token' } });

    first?.socket.terminate();
    await eventually(() => eventIds.length === 2, 'the stream resumed on a new socket');
    const resubscription = firstRequestOn(server, 1);
    expect(resubscription?.method).toBe('subscription');
    expect(resubscription?.params?.lastEventId).toBe('e1');
    expect(eventIds).toEqual(['e1', 'e2']);
    // One loss reported, then connected again.
    expect(states.filter(([, isLoss]) => isLoss)).toEqual([['connecting', true]]);
    expect(states.at(-1)).toEqual(['pending', false]);
  });

  it('fails a call whose socket is lost before the answer, and sends the next one on a new socket', async () => {
    let isAnswering = false;
    const server = startScriptedServer((socket, message) => {
      if (typeof message === 'string' || message.method !== 'mutation') return;
      if (isAnswering) send(socket, { id: message.id, result: { type: 'data', data: { ok: true } } });
      else socket.terminate();
    });
    const { api } = connect(server.url);
    const typing = () => api.conversations.typing.mutate({ conversationId: crypto.randomUUID(), isTyping: true });

    const lost = await typing().catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(TRPCClientError);
    isAnswering = true;
    expect(await typing()).toEqual({ ok: true } as never);
    expect(server.connections.length).toBe(2);
  });

  it('hands a server error to the caller as a TRPCClientError with its data', async () => {
    const server = startScriptedServer((socket, message) => {
      if (typeof message === 'string' || message.method !== 'mutation') return;
      send(socket, {
        id: message.id,
        error: { code: -32600, message: 'bad', data: { code: 'BAD_REQUEST', appCode: 'INVALID_INPUT' } },
      });
    });
    const { api } = connect(server.url);
    const error = await api.conversations.typing
      .mutate({ conversationId: crypto.randomUUID(), isTyping: true })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data).toMatchObject({ appCode: 'INVALID_INPUT' });
  });

  it('moves to a new socket when the server asks, without reporting a loss', async () => {
    const server = startingServer();
    const { api, states } = connect(server.url);
    const { eventIds } = follow(api);
    await eventually(() => eventIds.length === 1, 'the first event came');

    send(server.connections[0]?.socket as ServerWebSocket<unknown>, { id: null, method: 'reconnect' });
    await eventually(() => eventIds.length === 2, 'the stream resumed on the new socket');
    expect(firstRequestOn(server, 1)?.params?.lastEventId).toBe('e1');
    expect(states.some(([, isLoss]) => isLoss)).toBe(false);
  });

  it('pings a silent server, and gives the socket up when the ping goes unanswered', async () => {
    const server = startingServer();
    const { api, states } = connect(server.url, { keepAlive: { intervalMs: 40, pongTimeoutMs: 40 } });
    const { eventIds } = follow(api);
    await eventually(() => server.connections.length === 2, 'the client gave the silent socket up');
    expect(server.connections[0]?.received).toContain('PING');
    expect(states.filter(([, isLoss]) => isLoss).length).toBeGreaterThanOrEqual(1);
    await eventually(() => eventIds.length === 2, 'the stream resumed');
  });

  it('stops a subscription on the server, and closes the idle socket after lazyCloseMs', async () => {
    const server = startingServer();
    const { api, socket, states } = connect(server.url, { lazyCloseMs: 50 });
    const { eventIds, subscription } = follow(api);
    await eventually(() => eventIds.length === 1, 'the first event came');
    subscription.unsubscribe();
    await eventually(() => socket.connectionState === 'idle', 'the idle socket closed');
    const [only] = server.connections;
    expect(only?.received.at(-1)).toEqual({ id: 1, method: 'subscription.stop' });
    expect(server.connections.length).toBe(1);
    expect(states.some(([, isLoss]) => isLoss)).toBe(false);
  });

  it('opens no socket while waitToConnect refuses, fails the calls that could not go, and stops trying once closed', async () => {
    const server = startingServer();
    let refusals = 0;
    const { api, socket, states } = connect(server.url, {
      waitToConnect: async () => {
        refusals++;
        throw new Error('signed out');
      },
    });
    const typing = await api.conversations.typing
      .mutate({ conversationId: crypto.randomUUID(), isTyping: true })
      .catch((error: unknown) => error);
    expect(typing).toBeInstanceOf(TRPCClientError);
    follow(api);
    // A refusal waits its turn before the next try instead of spinning.
    await Bun.sleep(300);
    expect(refusals).toBe(2);
    expect(states.at(-1)?.[0]).toBe('connecting');
    socket.close();
    await Bun.sleep(1_200);
    expect(refusals).toBe(2);
    expect(server.connections).toHaveLength(0);
    expect(socket.connectionState).toBe('idle');
  });
});
