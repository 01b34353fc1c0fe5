import { describe, expect, it } from 'bun:test';
import type { AppErrorCode } from '@gopherchat/api';
import { TRPCClientError } from '@trpc/client';
import { createGopherClient } from './client.ts';
import {
  afterStreamError,
  type LiveStreamOptions,
  type LiveStreamState,
  type LiveSubscribe,
  type LiveSubscriptionCallbacks,
  subscribeLive,
} from './live-stream.ts';

interface Tracked {
  id: string;
  data: string;
}
type Input = { lastEventId?: string } | undefined;

/** An error frame from the server, as the client hands it on: `appCode` in its data. */
const serverError = (appCode: AppErrorCode) =>
  TRPCClientError.from({ error: { code: -32603, message: appCode, data: { appCode, userMessage: `${appCode}!` } } });

const event = (id: string): Tracked => ({ id, data: `#${id}` });

/** A subscribe function that records each subscription, for the test to answer by hand. */
function fakeSubscribe() {
  const subscriptions: Array<{ input: Input; callbacks: LiveSubscriptionCallbacks<Tracked>; isStopped: boolean }> = [];
  const subscribe: LiveSubscribe<Input, Tracked> = (input, callbacks) => {
    const subscription = { input, callbacks, isStopped: false };
    subscriptions.push(subscription);
    return {
      unsubscribe: () => {
        subscription.isStopped = true;
      },
    };
  };
  const latest = () => {
    const subscription = subscriptions.at(-1);
    if (!subscription) throw new Error('nothing subscribed');
    return subscription;
  };
  return { subscribe, subscriptions, latest };
}

/** A clock and a scheduler that move only when the test says so. */
function fakeTime() {
  let now = 0;
  const timers: Array<{ at: number; run: () => void; isDone: boolean }> = [];
  return {
    now: () => now,
    schedule: (run: () => void, ms: number) => {
      const timer = { at: now + ms, run, isDone: false };
      timers.push(timer);
      return () => {
        timer.isDone = true;
      };
    },
    pending: () => timers.filter((timer) => !timer.isDone),
    /** Moves the clock on by `ms`, running each timer that falls due, in order. */
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((timer) => !timer.isDone && timer.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.isDone = true;
        due.run();
      }
      now = until;
    },
  };
}

/** A stream on fakes; delays are 1 s, 2 s, 3 s… so that tests can name them. */
function follow(input: Input = undefined, options: LiveStreamOptions = {}) {
  const server = fakeSubscribe();
  const time = fakeTime();
  const delivered: string[] = [];
  const states: LiveStreamState[] = [];
  const errors: string[] = [];
  let starts = 0;
  const stream = subscribeLive(
    server.subscribe,
    input,
    {
      onStarted: () => starts++,
      onData: (value) => delivered.push(value.id),
      onError: (error) => errors.push(error.appCode),
      onStateChange: (state) => states.push(state),
    },
    { schedule: time.schedule, now: time.now, retryDelayMs: (attempt) => attempt * 1_000, ...options },
  );
  return { stream, server, time, delivered, states, errors, starts: () => starts };
}

describe('subscribeLive', () => {
  it('resubscribes from its last event after the stream ends with INTERNAL (the web app stopped listening until a reload)', () => {
    const { stream, server, time, delivered, errors, starts } = follow();
    server.latest().callbacks.onStarted();
    server.latest().callbacks.onData(event('1'));
    server.latest().callbacks.onData(event('2'));

    server.latest().callbacks.onError(serverError('INTERNAL'));
    expect(stream.state).toMatchObject({
      status: 'retrying',
      attempt: 1,
      retryAt: 1_000,
      error: { appCode: 'INTERNAL' },
    });
    time.advance(999);
    expect(server.subscriptions).toHaveLength(1);
    time.advance(1);
    expect(server.subscriptions).toHaveLength(2);
    expect(server.latest().input).toEqual({ lastEventId: '2' });
    expect(stream.state).toEqual({ status: 'starting', attempt: 1 });

    server.latest().callbacks.onStarted();
    server.latest().callbacks.onData(event('3'));
    expect(stream.state).toEqual({ status: 'live' });
    expect(delivered).toEqual(['1', '2', '3']);
    // The store's onStarted runs on every start: it catches up what the list query may have missed.
    expect(starts()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('resumes from the id it was given while no event has come yet, and keeps the rest of the input', () => {
    const server = fakeSubscribe();
    const time = fakeTime();
    subscribeLive(
      server.subscribe as LiveSubscribe<{ lastEventId?: string; extra: number }, Tracked>,
      { lastEventId: '7', extra: 1 },
      { onData: () => {} },
      { schedule: time.schedule, now: time.now },
    );
    server.latest().callbacks.onError(serverError('UNAVAILABLE'));
    time.advance(60_000);
    expect(server.latest().input).toEqual({ lastEventId: '7', extra: 1 } as never);
  });

  it('subscribes again from the live head when it had no resume id and no event came', () => {
    const { server, time } = follow();
    server.latest().callbacks.onError(serverError('UNAVAILABLE'));
    time.advance(1_000);
    expect(server.subscriptions.map((subscription) => subscription.input)).toEqual([undefined, undefined]);
  });

  it('retries UNAVAILABLE, RATE_LIMITED and an error without an answer from the server, as it does INTERNAL', () => {
    const reasons = [serverError('UNAVAILABLE'), serverError('RATE_LIMITED'), new TRPCClientError('socket gone')];
    for (const reason of reasons) {
      const { stream, server, errors } = follow();
      server.latest().callbacks.onError(reason);
      expect(stream.state.status).toBe('retrying');
      expect(errors).toEqual([]);
    }
  });

  it('backs off longer with each failure in a row, and starts over once an event arrives', () => {
    const { stream, server, time } = follow();
    const failAndWait = () => {
      server.latest().callbacks.onStarted();
      server.latest().callbacks.onError(serverError('INTERNAL'));
      const { state } = stream;
      if (state.status !== 'retrying') throw new Error(`expected a retry, got ${state.status}`);
      const wait = state.retryAt - time.now();
      time.advance(wait);
      return wait;
    };
    // A start followed by a failure proves nothing: the failing query comes after `started`.
    expect([failAndWait(), failAndWait(), failAndWait()]).toEqual([1_000, 2_000, 3_000]);

    server.latest().callbacks.onStarted();
    server.latest().callbacks.onData(event('1'));
    server.latest().callbacks.onError(serverError('INTERNAL'));
    expect(stream.state).toMatchObject({ status: 'retrying', attempt: 1 });
  });

  it('starts its backoff over after a stream that stayed live for stableAfterMs, even without events', () => {
    const { stream, server, time } = follow(undefined, { stableAfterMs: 30_000 });
    server.latest().callbacks.onError(serverError('INTERNAL'));
    time.advance(1_000);
    server.latest().callbacks.onStarted();
    time.advance(29_999);
    server.latest().callbacks.onError(serverError('INTERNAL'));
    expect(stream.state).toMatchObject({ status: 'retrying', attempt: 2 });

    time.advance(2_000);
    server.latest().callbacks.onStarted();
    time.advance(30_000);
    server.latest().callbacks.onError(serverError('INTERNAL'));
    expect(stream.state).toMatchObject({ status: 'retrying', attempt: 1 });
  });

  it('uses the SDK backoff by default: ¼–½ s after the first failure', () => {
    const { stream, server } = follow(undefined, { retryDelayMs: undefined });
    server.latest().callbacks.onError(serverError('INTERNAL'));
    const { state } = stream;
    expect(state.status === 'retrying' && state.retryAt).toBeGreaterThanOrEqual(250);
    expect(state.status === 'retrying' && state.retryAt).toBeLessThanOrEqual(500);
  });

  it('stops on UNAUTHENTICATED and reports it, without subscribing again', () => {
    const { stream, server, time, errors, states } = follow();
    server.latest().callbacks.onStarted();
    server.latest().callbacks.onError(serverError('UNAUTHENTICATED'));
    expect(stream.state).toMatchObject({ status: 'stopped', reason: 'failed', error: { appCode: 'UNAUTHENTICATED' } });
    expect(errors).toEqual(['UNAUTHENTICATED']);
    expect(time.pending()).toHaveLength(0);
    time.advance(600_000);
    expect(server.subscriptions).toHaveLength(1);
    expect(states.map((state) => state.status)).toEqual(['live', 'stopped']);
  });

  it('stops on the other errors that will not pass: FORBIDDEN, INVALID_INPUT, NOT_FOUND', () => {
    for (const code of ['FORBIDDEN', 'INVALID_INPUT', 'NOT_FOUND'] as const) {
      const { stream, server, errors } = follow();
      server.latest().callbacks.onError(serverError(code));
      expect(stream.state.status).toBe('stopped');
      expect(errors).toEqual([code]);
    }
  });

  it('cancels a pending retry when unsubscribed', () => {
    const { stream, server, time, states } = follow();
    server.latest().callbacks.onError(serverError('INTERNAL'));
    expect(time.pending()).toHaveLength(1);

    stream.unsubscribe();
    expect(time.pending()).toHaveLength(0);
    time.advance(600_000);
    expect(server.subscriptions).toHaveLength(1);
    expect(stream.state).toEqual({ status: 'stopped', reason: 'unsubscribed' });
    expect(states.at(-1)).toEqual({ status: 'stopped', reason: 'unsubscribed' });
  });

  it('stops the live subscription when unsubscribed, and ignores what it still sends', () => {
    const { stream, server, delivered } = follow();
    const first = server.latest();
    first.callbacks.onStarted();
    stream.unsubscribe();
    expect(first.isStopped).toBe(true);
    first.callbacks.onData(event('1'));
    first.callbacks.onError(serverError('INTERNAL'));
    expect(delivered).toEqual([]);
    expect(stream.state).toEqual({ status: 'stopped', reason: 'unsubscribed' });
  });

  it('never delivers an event twice across a resubscribe, even when the ended subscription still sends', () => {
    // The server's log, written up to `head`; a subscription replays what follows its resume id, as the real streams do.
    const log = ['1', '2', '3', '4', '5'].map(event);
    let head = 3;
    const { server, time, delivered } = follow();
    const replay = () => {
      const subscription = server.latest();
      const after = subscription.input?.lastEventId;
      subscription.callbacks.onStarted();
      const from = after === undefined ? 0 : log.findIndex((entry) => entry.id === after) + 1;
      for (const entry of log.slice(from, head)) subscription.callbacks.onData(entry);
      return subscription;
    };
    const first = replay();
    first.callbacks.onError(serverError('INTERNAL'));
    // A late frame of the ended subscription (say, one queued before its error) goes nowhere.
    first.callbacks.onData(event('3'));
    head = 5;
    time.advance(1_000);

    const second = replay();
    expect(second.input).toEqual({ lastEventId: '3' });
    expect(delivered).toEqual(['1', '2', '3', '4', '5']);
  });

  it('ends without retrying when the subscription completes (the client was closed)', () => {
    const { stream, server, time } = follow();
    server.latest().callbacks.onStarted();
    server.latest().callbacks.onComplete();
    time.advance(600_000);
    expect(server.subscriptions).toHaveLength(1);
    expect(stream.state).toEqual({ status: 'stopped', reason: 'completed' });
  });
});

describe('afterStreamError', () => {
  const env = { now: 10_000, retryDelayMs: (attempt: number) => attempt * 100 };

  it('retries an error that may pass as the next attempt in a row, after its delay', () => {
    const error = { appCode: 'UNAVAILABLE', userMessage: 'later' } as const;
    expect(afterStreamError(error, 2, env)).toEqual({ status: 'retrying', attempt: 3, retryAt: 10_300, error });
  });

  it('stops on an error that will not pass, whatever came before', () => {
    const error = { appCode: 'FORBIDDEN', userMessage: 'no' } as const;
    expect(afterStreamError(error, 0, env)).toEqual({ status: 'stopped', reason: 'failed', error });
  });
});

describe('subscribeLive over the SDK client', () => {
  it('resubscribes through the socket with the last event id in the input after an INTERNAL error frame', async () => {
    const inputs: unknown[] = [];
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (request, server) =>
        server.upgrade(request, { data: undefined }) ? undefined : new Response('', { status: 426 }),
      websocket: {
        message(socket, raw) {
          const message = JSON.parse(String(raw)) as { id?: number; method: string; params?: { input: unknown } };
          if (message.method !== 'subscription') return;
          inputs.push(message.params?.input);
          const send = (frame: object) => socket.send(JSON.stringify({ id: message.id, ...frame }));
          send({ result: { type: 'started' } });
          const id = `${inputs.length}`;
          send({ result: { type: 'data', id, data: { id, data: [] } } });
          if (inputs.length === 1) {
            send({
              error: { code: -32603, message: 'timed out', data: { appCode: 'INTERNAL', userMessage: 'Oops.' } },
            });
          }
        },
      },
    });
    await using client = createGopherClient({ url: `http://127.0.0.1:${server.port}`, accessToken: () => 'token' });
    const { promise: secondEvent, resolve } = Promise.withResolvers<void>();
    const delivered: string[] = [];
    const stream = subscribeLive(
      client.api.events.subscribe.subscribe,
      undefined,
      {
        onData: ({ id }) => {
          delivered.push(id);
          if (delivered.length === 2) resolve();
        },
        // Ended for good: the expectations below say how.
        onStateChange: (state) => {
          if (state.status === 'stopped') resolve();
        },
      },
      { retryDelayMs: () => 0 },
    );
    try {
      await secondEvent;
      expect(inputs).toEqual([undefined, { lastEventId: '1' }]);
      expect(delivered).toEqual(['1', '2']);
      expect(stream.state).toEqual({ status: 'live' });
    } finally {
      stream.unsubscribe();
      server.stop(true);
    }
  });
});
