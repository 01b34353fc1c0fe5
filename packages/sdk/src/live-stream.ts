import type { AppErrorCode, AppErrorData } from '@gopherchat/api';
import type { Unsubscribable } from '@trpc/server/observable';
import { backoffDelay } from './backoff.ts';
import { toAppError } from './errors.ts';

/**
 * Whether a stream that ended with this code may work when subscribed again.
 * The server down, restarting or overloaded, or a query on a hung instance
 * timing out, passes; being signed out, refused or asked for something that
 * is not there does not, and retrying it would only repeat the refusal.
 */
const IS_TRANSIENT = {
  INVALID_INPUT: false,
  NOT_FOUND: false,
  UNAUTHENTICATED: false,
  FORBIDDEN: false,
  CONFLICT: false,
  RATE_LIMITED: true,
  UNAVAILABLE: true,
  INTERNAL: true,
} as const satisfies Record<AppErrorCode, boolean>;

/** Whether an error with this code may go away by itself (a transport error counts as UNAVAILABLE, see `toAppError`). */
export const isTransientError = (code: AppErrorCode): boolean => IS_TRANSIENT[code];

/** Where a live stream stands (docs/connection.md, "Stream resubscription"). */
export type LiveStreamState =
  /** Subscribed, waiting for the server to start the stream. `attempt`: failures in a row before this try (0 at first). */
  | { status: 'starting'; attempt: number }
  /** The server started the stream (and it resumes by itself across socket reconnects). */
  | { status: 'live' }
  /** The stream ended with `error`, which may pass: it is subscribed again at `retryAt` (epoch ms). */
  | { status: 'retrying'; attempt: number; retryAt: number; error: AppErrorData }
  /** For good: unsubscribed here, completed (the client was closed), or failed with an error that will not pass. */
  | { status: 'stopped'; reason: 'unsubscribed' | 'completed' }
  | { status: 'stopped'; reason: 'failed'; error: AppErrorData };

/**
 * What a stream does when its subscription ends with `error` after
 * `failures` failures in a row: subscribe again after a backoff (this is
 * attempt `failures + 1`), or stop when the error will not pass. Pure.
 */
export function afterStreamError(
  error: AppErrorData,
  failures: number,
  env: { now: number; retryDelayMs: (attempt: number) => number },
): LiveStreamState {
  if (!isTransientError(error.appCode)) return { status: 'stopped', reason: 'failed', error };
  const attempt = failures + 1;
  return { status: 'retrying', attempt, retryAt: env.now + env.retryDelayMs(attempt), error };
}

/** A stream's input: the resume point goes in `lastEventId`, which the server reads (tracked streams). */
type ResumableInput = { lastEventId?: string | null } | undefined;

/** What the helper hands the subscribe function: tRPC's subscription callbacks. */
export interface LiveSubscriptionCallbacks<TValue> {
  onStarted: () => void;
  onData: (value: TValue) => void;
  onError: (error: unknown) => void;
  onComplete: () => void;
  onConnectionStateChange: (state: { state: 'idle' | 'connecting' | 'pending' }) => void;
}

/**
 * A procedure's `.subscribe`, e.g. `gopher.api.events.subscribe.subscribe`.
 * tRPC's is overloaded (callbacks, or an async iterator without them);
 * allowing either return lets TypeScript infer the event type from the
 * iterator overload. The helper always passes callbacks.
 */
export type LiveSubscribe<TInput, TValue> = (
  input: TInput,
  callbacks: LiveSubscriptionCallbacks<TValue>,
) => Unsubscribable | AsyncIterableIterator<TValue>;

export interface LiveStreamHandlers<TValue> {
  /** The server started the stream: the first time, after each resubscription, and after each socket reconnect. */
  onStarted?: () => void;
  /** Each event, once: a resubscription resumes right after the last one delivered. */
  onData: (value: TValue) => void;
  /** The stream ended with an error that will not pass (signed out, refused, bad input): it is not retried. */
  onError?: (error: AppErrorData, cause: unknown) => void;
  /** The stream completed without an error (the client was closed, say on sign-out): it is not retried. */
  onComplete?: () => void;
  /** Every change of `LiveStream.state`: show "reconnecting" while `retrying`. */
  onStateChange?: (state: LiveStreamState) => void;
  /** The socket's own state, passed through: it also reconnects (and resumes) by itself. */
  onConnectionStateChange?: (state: 'idle' | 'connecting' | 'pending') => void;
}

export interface LiveStreamOptions {
  /** The wait before attempt `attempt` (1, 2, …) in a row; defaults to `backoffDelay(attempt - 1)`: ¼–½ s, then doubling to 15–30 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Runs `run` after `ms`; returns what cancels it. Defaults to `setTimeout`. */
  schedule?: (run: () => void, ms: number) => () => void;
  /** Defaults to `Date.now`. */
  now?: () => number;
  /**
   * A stream that stayed live this long before failing counts as having
   * worked: its backoff starts over. (A tracked event does as much at once.)
   * Defaults to 30 s.
   */
  stableAfterMs?: number;
}

export interface LiveStream {
  readonly state: LiveStreamState;
  /** Stops the stream, and any resubscription waiting to happen. */
  unsubscribe(): void;
}

const scheduleWithTimeout = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/** The id of a tracked event (`{ id, data }`), if `value` is one. */
function trackedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
  return typeof value.id === 'string' ? value.id : undefined;
}

function resumeFrom<TInput extends ResumableInput>(input: TInput, lastEventId: string | undefined): TInput {
  if (lastEventId === undefined) return input;
  return { ...(input ?? {}), lastEventId } as TInput;
}

/**
 * Keeps a tracked subscription alive: when it ends with an error that may
 * pass (UNAVAILABLE, INTERNAL, RATE_LIMITED, or no answer at all), it
 * subscribes again after a backoff, from the last event id it delivered;
 * the server's tracked streams replay exactly what followed it, so nothing
 * is lost or repeated. An error that will not pass (UNAUTHENTICATED,
 * FORBIDDEN, INVALID_INPUT, NOT_FOUND, CONFLICT) ends it and goes to
 * `onError`.
 *
 * The socket already resumes subscriptions when it reconnects; this covers
 * the other way a stream ends, an error from the server, which otherwise
 * ends it for good.
 *
 * ```ts
 * const events = subscribeLive(gopher.api.events.subscribe.subscribe, undefined, {
 *   onData: ({ id, data }) => apply(data),
 *   onError: (error) => toast(error.userMessage),
 *   onStateChange: (state) => setReconnecting(state.status === 'retrying'),
 * });
 * events.unsubscribe();
 * ```
 */
export function subscribeLive<TInput extends ResumableInput, TValue>(
  subscribe: LiveSubscribe<TInput, TValue>,
  input: TInput,
  handlers: LiveStreamHandlers<TValue>,
  options: LiveStreamOptions = {},
): LiveStream {
  const {
    retryDelayMs = (attempt: number) => backoffDelay(attempt - 1),
    schedule = scheduleWithTimeout,
    now = Date.now,
    stableAfterMs = 30_000,
  } = options;
  let state: LiveStreamState = { status: 'starting', attempt: 0 };
  let lastEventId = input?.lastEventId ?? undefined;
  /** Failures in a row, not counting those before the stream last proved to work. */
  let failures = 0;
  let startedAt: number | undefined;
  let current: Unsubscribable | undefined;
  let cancelRetry: (() => void) | undefined;
  /** Bumped whenever a subscription ends or is dropped: callbacks from an older one are ignored. */
  let generation = 0;

  const setState = (next: LiveStreamState) => {
    state = next;
    handlers.onStateChange?.(next);
  };

  function start() {
    const mine = ++generation;
    const isCurrent = () => mine === generation;
    startedAt = undefined;
    const subscription = subscribe(resumeFrom(input, lastEventId), {
      onStarted: () => {
        if (!isCurrent()) return;
        startedAt = now();
        if (state.status !== 'live') setState({ status: 'live' });
        handlers.onStarted?.();
      },
      onData: (value) => {
        if (!isCurrent()) return;
        const id = trackedId(value);
        if (id !== undefined) {
          lastEventId = id;
          failures = 0;
        }
        handlers.onData(value);
      },
      onError: (error) => {
        if (isCurrent()) failed(error);
      },
      onComplete: () => {
        if (!isCurrent()) return;
        end();
        setState({ status: 'stopped', reason: 'completed' });
        handlers.onComplete?.();
      },
      onConnectionStateChange: ({ state: socketState }) => {
        if (isCurrent()) handlers.onConnectionStateChange?.(socketState);
      },
    }) as Unsubscribable;
    // A handler may have ended it already, inside the call (an unsubscribe from a state handler, say).
    if (isCurrent()) current = subscription;
    else subscription.unsubscribe();
  }

  /** Forgets the current subscription: it has ended, or is being stopped. */
  function end() {
    generation++;
    current = undefined;
  }

  function failed(cause: unknown) {
    end();
    // `started` alone proves little: a stream can start and then fail its first query, again and again.
    if (startedAt !== undefined && now() - startedAt >= stableAfterMs) failures = 0;
    const error = toAppError(cause);
    const next = afterStreamError(error, failures, { now: now(), retryDelayMs });
    if (next.status === 'retrying') failures = next.attempt;
    setState(next);
    if (next.status !== 'retrying') {
      handlers.onError?.(error, cause);
      return;
    }
    // A state handler may have unsubscribed.
    if (state !== next) return;
    cancelRetry = schedule(
      () => {
        cancelRetry = undefined;
        setState({ status: 'starting', attempt: next.attempt });
        start();
      },
      Math.max(0, next.retryAt - now()),
    );
  }

  start();
  return {
    get state() {
      return state;
    },
    unsubscribe() {
      if (state.status === 'stopped') return;
      const subscription = current;
      end();
      cancelRetry?.();
      cancelRetry = undefined;
      subscription?.unsubscribe();
      setState({ status: 'stopped', reason: 'unsubscribed' });
    },
  };
}
