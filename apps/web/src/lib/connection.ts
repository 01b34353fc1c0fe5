import { backoffDelay } from '@gopherchat/sdk';

/**
 * Where the live connection stands (docs/connection.md has the diagram).
 * `attempt` counts the failed attempts in a row so far: it sets the next
 * wait, and only a connection the server accepts resets it.
 */
export type ConnectionState =
  /** Nobody is signed in: no attempts. */
  | { status: 'stopped' }
  /** Trying now. `isAttemptMade`: a socket was let through for this try (one per try). */
  | { status: 'connecting'; attempt: number; isAttemptMade: boolean }
  /** The server accepted the socket: a subscription started on it. */
  | { status: 'live' }
  /** The last try failed; the next is due at `retryAt` (epoch ms), or sooner if the network comes back. */
  | { status: 'waiting-to-retry'; attempt: number; retryAt: number }
  /** The browser says there is no network: no attempts until it says there is. */
  | { status: 'offline'; attempt: number }
  /** The server refused the socket's token: getting a fresh one before the next try. */
  | { status: 'renewing-auth'; attempt: number };

export type ConnectionStatus = ConnectionState['status'];

export type ConnectionEvent =
  | { type: 'signed-in'; isOnline: boolean }
  | { type: 'signed-out' }
  /** A socket is about to be opened (it waited for `connecting`). */
  | { type: 'attempt-started' }
  | { type: 'connected' }
  /** The socket closed or errored, or an attempt to open one failed. */
  | { type: 'connection-lost' }
  /** The server closed the socket for its token: missing, expired (4401, 4402) or revoked (4001). */
  | { type: 'auth-rejected' }
  | { type: 'auth-renewed' }
  /** The token could not be renewed for now (no answer, or a server error); the session may still stand. */
  | { type: 'auth-unreachable' }
  | { type: 'went-online' }
  | { type: 'went-offline' }
  | { type: 'page-visible' }
  | { type: 'retry-due' }
  /** The person asked for a retry now. */
  | { type: 'retry-now' };

/** What a transition asks of the world; `createConnectionDriver` carries it out. */
export type ConnectionEffect =
  | { type: 'schedule-retry'; at: number }
  | { type: 'cancel-retry' }
  /** Close the current socket: the network is gone, and it may take long to notice. */
  | { type: 'drop-socket' }
  | { type: 'renew-auth' }
  /** Went live: send what waited (the outbox, receipts). Subscriptions resume by themselves. */
  | { type: 'resume' };

export interface ConnectionEnvironment {
  now: number;
  random: () => number;
}

export interface Transition {
  state: ConnectionState;
  effects: ConnectionEffect[];
}

export const STOPPED: ConnectionState = { status: 'stopped' };

/** The wait before retrying after `attempt` failures in a row: from ¼–½ s, doubling, capped at 15–30 s. */
export const retryDelayMs = (attempt: number, random: () => number) => backoffDelay(attempt - 1, { random });

const connecting = (attempt: number): Transition => ({
  state: { status: 'connecting', attempt, isAttemptMade: false },
  effects: [],
});

function waitAfterFailure(attempt: number, env: ConnectionEnvironment): Transition {
  const retryAt = env.now + retryDelayMs(attempt, env.random);
  return {
    state: { status: 'waiting-to-retry', attempt, retryAt },
    effects: [{ type: 'schedule-retry', at: retryAt }],
  };
}

const live: Transition = { state: { status: 'live' }, effects: [{ type: 'resume' }] };
const renewingAuth = (attempt: number): Transition => ({
  state: { status: 'renewing-auth', attempt },
  effects: [{ type: 'renew-auth' }],
});
const offline = (attempt: number, effects: ConnectionEffect[] = []): Transition => ({
  state: { status: 'offline', attempt },
  effects,
});

function next(state: ConnectionState, event: ConnectionEvent, env: ConnectionEnvironment): Transition | undefined {
  if (event.type === 'signed-out') return state.status === 'stopped' ? undefined : { state: STOPPED, effects: [] };
  switch (state.status) {
    case 'stopped':
      if (event.type !== 'signed-in') return undefined;
      return event.isOnline ? connecting(0) : offline(0);
    case 'connecting':
      switch (event.type) {
        case 'attempt-started':
          return state.isAttemptMade ? undefined : { state: { ...state, isAttemptMade: true }, effects: [] };
        case 'connected':
          return live;
        // Before this try made its attempt, a loss is news of an earlier socket (say, one dropped offline).
        case 'connection-lost':
          return state.isAttemptMade ? waitAfterFailure(state.attempt + 1, env) : undefined;
        case 'auth-rejected':
          return renewingAuth(state.attempt + 1);
        case 'went-offline':
          return offline(state.attempt, [{ type: 'drop-socket' }]);
        default:
          return undefined;
      }
    case 'live':
      switch (event.type) {
        case 'connection-lost':
          return waitAfterFailure(1, env);
        case 'auth-rejected':
          return renewingAuth(1);
        case 'went-offline':
          return offline(0, [{ type: 'drop-socket' }]);
        default:
          return undefined;
      }
    case 'waiting-to-retry':
      switch (event.type) {
        case 'retry-due':
        case 'retry-now':
        // The network or the person is back: the wait was for nothing, but the attempts still count.
        case 'went-online':
        case 'page-visible':
          return connecting(state.attempt);
        case 'connected':
          return live;
        case 'auth-rejected':
          return renewingAuth(state.attempt);
        case 'went-offline':
          return offline(state.attempt);
        default:
          return undefined;
      }
    case 'offline':
      switch (event.type) {
        case 'went-online':
        // navigator.onLine is only a hint: asked to, try anyway.
        case 'retry-now':
          return connecting(state.attempt);
        case 'connected':
          return live;
        default:
          return undefined;
      }
    case 'renewing-auth':
      switch (event.type) {
        // A fresh token earns one try at once; refused again, it waits its turn like any failure.
        case 'auth-renewed':
          return state.attempt <= 1 ? connecting(state.attempt) : waitAfterFailure(state.attempt, env);
        case 'auth-unreachable':
          return waitAfterFailure(state.attempt, env);
        case 'connected':
          return live;
        case 'went-offline':
          return offline(state.attempt);
        default:
          return undefined;
      }
    default:
      return state satisfies never;
  }
}

/**
 * The connection's transition function: the next state and what to do about
 * it. Pure (time and chance come in `env`); events that mean nothing in a
 * state leave it as it is, with no effects.
 */
export function transition(state: ConnectionState, event: ConnectionEvent, env: ConnectionEnvironment): Transition {
  const result = next(state, event, env);
  if (!result) return { state, effects: [] };
  // A pending retry timer belongs to the wait it was set for.
  if (state.status === 'waiting-to-retry') return { ...result, effects: [{ type: 'cancel-retry' }, ...result.effects] };
  return result;
}

/** What the quiet banner says about a state, or undefined when there is nothing to say. */
export function describeConnection(
  state: ConnectionState,
  now: number,
): { text: string; canRetryNow: boolean } | undefined {
  switch (state.status) {
    case 'stopped':
    case 'live':
      return undefined;
    case 'connecting':
      // A first connection is no news; the header says "Connecting…".
      return state.attempt === 0 ? undefined : { text: 'Reconnecting…', canRetryNow: false };
    case 'renewing-auth':
      return { text: 'Reconnecting…', canRetryNow: false };
    case 'waiting-to-retry': {
      const seconds = Math.max(1, Math.ceil((state.retryAt - now) / 1000));
      return { text: `Reconnecting in ${seconds} s…`, canRetryNow: true };
    }
    case 'offline':
      return { text: 'You are offline; messages will be sent when you are back.', canRetryNow: false };
    default:
      return state satisfies never;
  }
}

export interface ConnectionDriverDeps {
  now(): number;
  random(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
  dropSocket(): void;
  /** Gets a fresh access token: whether it did, could not for now, or the session has ended. */
  renewAuth(): Promise<'renewed' | 'unreachable' | 'signed-out'>;
}

/**
 * Runs the machine: keeps its state, carries out its effects, and holds
 * socket attempts back (`waitToConnect`) until the state allows one.
 */
export function createConnectionDriver(deps: ConnectionDriverDeps) {
  let state: ConnectionState = STOPPED;
  let retryTimer: unknown;
  const listeners = new Set<(state: ConnectionState) => void>();
  const liveListeners = new Set<() => void>();
  const lostListeners = new Set<() => void>();
  let waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  // Events raised while one is being handled (by effects, listeners or waiters) wait their turn.
  const queue: ConnectionEvent[] = [];
  let isDispatching = false;

  function dispatch(event: ConnectionEvent) {
    queue.push(event);
    if (isDispatching) return;
    isDispatching = true;
    try {
      for (let current = queue.shift(); current; current = queue.shift()) handle(current);
    } finally {
      isDispatching = false;
    }
  }

  function handle(event: ConnectionEvent) {
    const result = transition(state, event, { now: deps.now(), random: deps.random });
    if (result.state === state) return;
    const wasLive = state.status === 'live';
    state = result.state;
    for (const effect of result.effects) run(effect);
    for (const listener of listeners) listener(state);
    if (wasLive && state.status !== 'live') for (const listener of lostListeners) listener();
    settleWaiters();
  }

  function run(effect: ConnectionEffect) {
    switch (effect.type) {
      case 'schedule-retry':
        deps.clearTimer(retryTimer);
        retryTimer = deps.setTimer(() => dispatch({ type: 'retry-due' }), Math.max(0, effect.at - deps.now()));
        return;
      case 'cancel-retry':
        deps.clearTimer(retryTimer);
        return;
      case 'drop-socket':
        deps.dropSocket();
        return;
      case 'renew-auth':
        void deps.renewAuth().then(
          (outcome) =>
            dispatch({
              type:
                outcome === 'renewed' ? 'auth-renewed' : outcome === 'unreachable' ? 'auth-unreachable' : 'signed-out',
            }),
          () => dispatch({ type: 'auth-unreachable' }),
        );
        return;
      case 'resume':
        for (const listener of liveListeners) listener();
        return;
      default:
        return effect satisfies never;
    }
  }

  function settleWaiters() {
    if (state.status === 'stopped') {
      for (const waiter of waiters) waiter.reject(new Error('Signed out: not connecting.'));
      waiters = [];
    } else if (state.status === 'live') {
      // A socket opened while live replaces the current one (the server asked to reconnect).
      for (const waiter of waiters) waiter.resolve();
      waiters = [];
    } else if (state.status === 'connecting' && !state.isAttemptMade) {
      const [first, ...rest] = waiters;
      if (!first) return;
      waiters = rest;
      dispatch({ type: 'attempt-started' });
      first.resolve();
    }
  }

  return {
    get state() {
      return state;
    },
    dispatch,
    /** Resolves when a socket may be opened now; rejects when signed out. One attempt per try. */
    waitToConnect(): Promise<void> {
      return new Promise((resolve, reject) => {
        waiters.push({ resolve, reject });
        settleWaiters();
      });
    },
    /** Told every state; returns the unsubscribe. */
    subscribe(listener: (state: ConnectionState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Called now if live, and every time the connection goes live again; returns the unsubscribe. */
    whenLive(listener: () => void): () => void {
      liveListeners.add(listener);
      if (state.status === 'live') listener();
      return () => liveListeners.delete(listener);
    },
    /** Called every time a live connection is lost; returns the unsubscribe. */
    whenLost(listener: () => void): () => void {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
  };
}

export type ConnectionDriver = ReturnType<typeof createConnectionDriver>;

/** Feeds the browser's own news to the machine: network up or down, the page shown again. */
export function listenToBrowser(
  dispatch: (event: ConnectionEvent) => void,
  targets: { window: EventTarget; document: EventTarget & { visibilityState: DocumentVisibilityState } },
): () => void {
  const wentOnline = () => dispatch({ type: 'went-online' });
  const wentOffline = () => dispatch({ type: 'went-offline' });
  const visibilityChanged = () => {
    if (targets.document.visibilityState === 'visible') dispatch({ type: 'page-visible' });
  };
  targets.window.addEventListener('online', wentOnline);
  targets.window.addEventListener('offline', wentOffline);
  targets.document.addEventListener('visibilitychange', visibilityChanged);
  return () => {
    targets.window.removeEventListener('online', wentOnline);
    targets.window.removeEventListener('offline', wentOffline);
    targets.document.removeEventListener('visibilitychange', visibilityChanged);
  };
}
