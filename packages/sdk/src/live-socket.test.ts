import { afterEach, describe, expect, it } from 'bun:test';
import type { AppRouter } from '@gopherchat/server/router';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import type { Server, ServerWebSocket } from 'bun';
import {
  type ConnectionState,
  LiveSocket,
  type LiveSocketOptions,
  liveSocketLink,
  type SetTimer,
} from './live-socket.ts';
import { createChanges } from './testing/changes.ts';

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

/** Told of everything a test waits for: frames either side, events, states, timers, refusals. */
const changes = createChanges();

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
        changes.notify();
      },
      message(socket, raw) {
        const text = String(raw);
        const message = text === 'PING' || text === 'PONG' ? text : (JSON.parse(text) as WireMessage);
        connections.find((connection) => connection.socket === socket)?.received.push(message);
        answer(socket, message);
        changes.notify();
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

/**
 * Timers that run when the test says: `fire(ms)` runs one set for `ms` as if
 * its time had come, so a test crosses the socket's waits without sleeping.
 */
function manualTimers() {
  const waiting: Array<{ ms: number; run: () => void }> = [];
  const setTimer: SetTimer = (ms, run) => {
    const timer = { ms, run };
    waiting.push(timer);
    changes.notify();
    return () => {
      const index = waiting.indexOf(timer);
      if (index >= 0) waiting.splice(index, 1);
    };
  };
  return {
    setTimer,
    /** The delays of the timers waiting now, in the order they were set. */
    get waiting() {
      return waiting.map((timer) => timer.ms);
    },
    /** Waits until a timer for `ms` is set, then runs the oldest such. */
    async fire(ms: number) {
      await changes.until(() => waiting.some((timer) => timer.ms === ms));
      const index = waiting.findIndex((timer) => timer.ms === ms);
      const [timer] = waiting.splice(index, 1);
      timer?.run();
    },
  };
}

/** Resolves after the current turn: callbacks queued by what just ran (microtasks only) have run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function connect(url: string, options: Partial<LiveSocketOptions> = {}) {
  const states: Array<[ConnectionState, boolean]> = [];
  const closeCodes: Array<number | undefined> = [];
  const socket = new LiveSocket({
    url,
    connectionParams: async () => ({ accessToken: 'token' }),
    retryDelayMs: () => 0,
    lazyCloseMs: 10_000,
    keepAlive: { intervalMs: 10_000, pongTimeoutMs: 5_000 },
    onStateChange: (state, isLoss) => {
      states.push([state, isLoss]);
      changes.notify();
    },
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
    onData: (envelope) => {
      eventIds.push(envelope.id);
      changes.notify();
    },
  });
  cleanups.push(() => subscription.unsubscribe());
  return { eventIds, subscription };
}

describe('the SDK’s live socket', () => {
  it('sends the connection parameters first, and resubscribes from the last event id after losing the socket', async () => {
    const server = startingServer();
    const { api, states } = connect(server.url);
    const { eventIds } = follow(api);
    await changes.until(() => eventIds.length === 1);
    const [first] = server.connections;
    expect(first?.received[0]).toEqual({ method: 'connectionParams', data: { accessToken: 'token' } });

    first?.socket.terminate();
    await changes.until(() => eventIds.length === 2);
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
    await changes.until(() => eventIds.length === 1);

    send(server.connections[0]?.socket as ServerWebSocket<unknown>, { id: null, method: 'reconnect' });
    await changes.until(() => eventIds.length === 2);
    expect(firstRequestOn(server, 1)?.params?.lastEventId).toBe('e1');
    expect(states.some(([, isLoss]) => isLoss)).toBe(false);
  });

  it('pings a silent server, and gives the socket up when the ping goes unanswered', async () => {
    const server = startingServer();
    const timers = manualTimers();
    const keepAlive = { intervalMs: 15_000, pongTimeoutMs: 5_000 };
    const { api, states } = connect(server.url, { setTimer: timers.setTimer, keepAlive });
    const { eventIds } = follow(api);
    await changes.until(() => eventIds.length === 1);
    // The first interval saw the subscription's frames: no ping. The second saw silence.
    await timers.fire(keepAlive.intervalMs);
    await timers.fire(keepAlive.intervalMs);
    await changes.until(() => server.connections[0]?.received.includes('PING') === true);
    expect(server.connections[0]?.received.filter((message) => message === 'PING')).toHaveLength(1);

    await timers.fire(keepAlive.pongTimeoutMs);
    expect(states.filter(([, isLoss]) => isLoss)).toEqual([['connecting', true]]);
    await timers.fire(0); // the retry delay
    await changes.until(() => eventIds.length === 2);
    expect(firstRequestOn(server, 1)?.params?.lastEventId).toBe('e1');
  });

  it('stops a subscription on the server, and closes the idle socket after lazyCloseMs', async () => {
    const server = startingServer();
    const timers = manualTimers();
    const lazyCloseMs = 50;
    const { api, socket, states } = connect(server.url, { setTimer: timers.setTimer, lazyCloseMs });
    const { eventIds, subscription } = follow(api);
    await changes.until(() => eventIds.length === 1);
    subscription.unsubscribe();
    const [only] = server.connections;
    await changes.until(() => only?.received.length === 3); // the stop, after the parameters and the subscription
    expect(only?.received.at(-1)).toEqual({ id: 1, method: 'subscription.stop' });
    expect(socket.connectionState).toBe('pending');

    await timers.fire(lazyCloseMs);
    expect(socket.connectionState).toBe('idle');
    expect(server.connections.length).toBe(1);
    expect(states.some(([, isLoss]) => isLoss)).toBe(false);
  });

  it('opens no socket while waitToConnect refuses, fails the calls that could not go, and stops trying once closed', async () => {
    const server = startingServer();
    const timers = manualTimers();
    let refusals = 0;
    const { api, socket, states } = connect(server.url, {
      setTimer: timers.setTimer,
      waitToConnect: async () => {
        refusals++;
        changes.notify();
        throw new Error('signed out');
      },
    });
    const typing = await api.conversations.typing
      .mutate({ conversationId: crypto.randomUUID(), isTyping: true })
      .catch((error: unknown) => error);
    expect(typing).toBeInstanceOf(TRPCClientError);
    expect(timers.waiting).toEqual([]);

    // A refusal waits its turn before the next try instead of spinning.
    follow(api);
    await changes.until(() => timers.waiting.length === 1);
    const [refusedDelay = 0] = timers.waiting;
    expect(refusals).toBe(2);
    expect(states.at(-1)?.[0]).toBe('connecting');
    await timers.fire(refusedDelay);
    await timers.fire(0); // the retry delay
    await changes.until(() => refusals === 3 && timers.waiting.length === 1);

    socket.close();
    await timers.fire(refusedDelay);
    await nextTurn();
    expect(timers.waiting).toEqual([]);
    expect(refusals).toBe(3);
    expect(server.connections).toHaveLength(0);
    expect(socket.connectionState).toBe('idle');
  });
});
