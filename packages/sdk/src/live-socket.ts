import type { AppRouter } from '@gopherchat/server/router';
import { type OperationResultEnvelope, TRPCClientError, type TRPCLink } from '@trpc/client';
import { type Observer, observable } from '@trpc/server/observable';

export type ConnectionState = 'idle' | 'connecting' | 'pending';

type ClientError = TRPCClientError<AppRouter>;
type Envelope = OperationResultEnvelope<unknown, ClientError>;

export interface LiveSocketOptions {
  /** The WebSocket endpoint (`ws://host/trpc`). */
  url: string;
  /** Sent as the socket's first message: how the server knows who this is. */
  connectionParams: () => Promise<Record<string, string>>;
  WebSocket?: typeof WebSocket;
  /** The wait before reconnecting; `attempt` counts the attempts in a row the server never answered. */
  retryDelayMs: (attempt: number) => number;
  /** Awaited before every attempt to open a socket; rejecting means "not now". */
  waitToConnect?: () => Promise<void>;
  /** How long the socket stays open once nothing uses it. */
  lazyCloseMs: number;
  /** Silence for this long makes the client ping; no answer within `pongTimeoutMs` counts as a lost socket. */
  keepAlive: { intervalMs: number; pongTimeoutMs: number };
  /** Every state change; `isLoss` when the socket was lost or an attempt failed. */
  onStateChange?: (state: ConnectionState, isLoss: boolean) => void;
  /** A subscription started, or started again after a reconnect: the server accepted the socket. */
  onSubscriptionStarted?: () => void;
  /** The close code whenever a socket in use closes. */
  onClose?: (code: number | undefined) => void;
  /**
   * Runs `run` after `ms`, returning what cancels it: every wait of the
   * socket (reconnect delays, keep-alive, lazy close) goes through it.
   * Defaults to `setTimeout`; a test drives it by hand instead of sleeping.
   */
  setTimer?: SetTimer;
}

export type SetTimer = (ms: number, run: () => void) => () => void;

const realTimer: SetTimer = (ms, run) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

interface WireRequest {
  id: number;
  method: 'query' | 'mutation' | 'subscription';
  params: { path: string; input: unknown; lastEventId?: string };
}

interface PendingRequest {
  message: WireRequest;
  observer: Observer<Envelope, ClientError>;
  /** The socket a call went out on; a subscription is sent again on every new one. */
  sentOn: WebSocket | undefined;
}

interface WireResponse {
  id: number | string | null;
  method?: string;
  result?: { type?: 'started' | 'stopped' | 'data'; id?: string; data?: unknown };
  error?: unknown;
}

/** Waits after a refused `waitToConnect` (signed out, say), so a refusal cannot spin. */
const REFUSED_ATTEMPT_DELAY_MS = 1_000;

const connectionError = (message: string): ClientError => TRPCClientError.from(new Error(message));

/**
 * One WebSocket speaking tRPC's wire protocol, for subscriptions and the
 * calls the client sends over it. It replaces tRPC's own WebSocket client,
 * which passes every frame through a chain of observables, a request manager
 * and a timer reset: about 12 µs a frame, a third of what a client following
 * busy conversations spends (docs/decisions/0011-sdk-owns-its-websocket-transport.md). Here a frame
 * costs a parse, a map lookup and a callback.
 *
 * It opens on first use and closes `lazyCloseMs` after the last. While
 * anything still needs it (a subscription, a call not sent yet) it
 * reconnects after `retryDelayMs`, through `waitToConnect`, and resubscribes
 * each tracked subscription from the last event id it saw.
 * A call in flight when its socket goes is failed, not resent: the caller
 * decides whether a retry is safe.
 */
export class LiveSocket {
  private socket: WebSocket | undefined;
  private isOpen = false;
  private state: ConnectionState = 'idle';
  /** Attempts in a row that the server never answered; sets the wait before the next. */
  private attempt = 0;
  /** Whether the server has answered anything on the current socket. */
  private isAnswered = false;
  /** Bumped whenever a pending attempt must give up (closed, or superseded). */
  private generation = 0;
  private isAttempting = false;
  private readonly requests = new Map<number, PendingRequest>();
  private nextId = 0;
  private readonly setTimer: SetTimer;
  private cancelIdleClose: (() => void) | undefined;
  private cancelKeepAlive: (() => void) | undefined;
  /** Messages received on the current socket: the keep-alive compares counts instead of resetting a timer per frame. */
  private received = 0;
  private readonly stateObservers = new Set<Observer<Envelope, ClientError>>();

  constructor(private readonly options: LiveSocketOptions) {
    this.setTimer = options.setTimer ?? realTimer;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Sends `path` with `input` (a subscription, or a call answered once); returns the teardown. */
  request(
    type: WireRequest['method'],
    path: string,
    input: unknown,
    observer: Observer<Envelope, ClientError>,
  ): () => void {
    const message: WireRequest = { id: ++this.nextId, method: type, params: { path, input } };
    const request: PendingRequest = { message, observer, sentOn: undefined };
    this.requests.set(message.id, request);
    if (type === 'subscription') {
      this.stateObservers.add(observer);
      observer.next({ result: { type: 'state', state: this.state, error: null } } as unknown as Envelope);
    }
    this.cancelIdleClose?.();
    if (this.socket && this.isOpen) this.transmit(request, this.socket);
    else this.connectSoon(false);
    return () => {
      if (this.requests.get(message.id) !== request) return;
      if (type === 'subscription' && request.sentOn === this.socket && this.isOpen) {
        this.socket?.send(JSON.stringify({ id: message.id, method: 'subscription.stop' }));
      }
      this.forget(request);
    };
  }

  /** Closes the current socket as if it had been lost, without waiting for its close: subscriptions reconnect and resume. */
  drop() {
    if (this.socket) this.lost(undefined, 1000);
  }

  /** Closes the socket; subscriptions complete and calls in flight fail. The next request opens a new one. */
  close() {
    this.generation++;
    this.isAttempting = false;
    this.retire(1000);
    const requests = [...this.requests.values()];
    this.requests.clear();
    this.stateObservers.clear();
    for (const { message, observer } of requests) {
      if (message.method === 'subscription') observer.complete();
      else observer.error(connectionError('The connection was closed.'));
    }
    this.setState('idle', false);
  }

  private transmit(request: PendingRequest, socket: WebSocket) {
    request.sentOn = socket;
    socket.send(JSON.stringify(request.message));
  }

  private setState(state: ConnectionState, isLoss: boolean) {
    if (state === this.state && !isLoss) return;
    this.state = state;
    this.options.onStateChange?.(state, isLoss);
    const error = isLoss ? connectionError('The connection was lost.') : null;
    const envelope = { result: { type: 'state', state, error } } as unknown as Envelope;
    for (const observer of this.stateObservers) observer.next(envelope);
  }

  private get isNeeded() {
    return this.requests.size > 0;
  }

  /** Starts an attempt to open a socket, unless one is open or on its way. */
  private connectSoon(isAfterLoss: boolean) {
    if (this.socket || this.isAttempting) return;
    this.isAttempting = true;
    const generation = ++this.generation;
    this.setState('connecting', isAfterLoss);
    void this.attemptConnection(generation, isAfterLoss);
  }

  private async attemptConnection(generation: number, isAfterLoss: boolean) {
    const isCurrent = () => generation === this.generation;
    if (isAfterLoss) await this.wait(this.options.retryDelayMs(this.attempt));
    let params: Record<string, string>;
    try {
      if (!isCurrent()) return;
      await this.options.waitToConnect?.();
      params = await this.options.connectionParams();
    } catch {
      if (!isCurrent()) return;
      this.isAttempting = false;
      this.failCalls('Not connected: the call was not sent.', (request) => !request.sentOn);
      if (!this.isNeeded) return this.setState('idle', false);
      this.attempt++;
      await this.wait(REFUSED_ATTEMPT_DELAY_MS);
      if (isCurrent()) this.connectSoon(true);
      return;
    }
    if (!isCurrent()) return;
    this.isAttempting = false;
    if (!this.isNeeded) return this.setState('idle', false);
    this.open(params);
  }

  private open(params: Record<string, string>) {
    const WebSocketImpl = this.options.WebSocket ?? WebSocket;
    const socket = new WebSocketImpl(`${this.options.url}?connectionParams=1`);
    this.socket = socket;
    this.received = 0;
    this.isAnswered = false;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.isOpen = true;
      socket.send(JSON.stringify({ method: 'connectionParams', data: params }));
      for (const request of this.requests.values()) this.transmit(request, socket);
      this.startKeepAlive(socket);
      this.setState('pending', false);
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.received++;
      this.handle(event.data);
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.lost(event.code);
    };
    // An error is followed by a close, which does the work.
    socket.onerror = () => {};
  }

  private handle(data: unknown) {
    if (data === 'PONG' || data === 'PING' || typeof data !== 'string') return;
    const message = JSON.parse(data) as WireResponse;
    if (message.method === 'reconnect') return this.replaceSocket();
    if (typeof message.id !== 'number') return; // a refusal of the connection itself: its close follows
    const request = this.requests.get(message.id);
    if (!request) return;
    const { result } = message;
    if (message.error !== undefined || !result) {
      this.forget(request);
      request.observer.error(TRPCClientError.from(message as never));
      return;
    }
    this.isAnswered = true;
    if (request.message.method !== 'subscription') {
      this.forget(request);
      request.observer.next({ result } as Envelope);
      request.observer.complete();
      return;
    }
    switch (result.type) {
      case 'data':
        if (result.id !== undefined) request.message.params.lastEventId = result.id;
        break;
      case 'started':
        this.options.onSubscriptionStarted?.();
        break;
      case 'stopped':
        this.forget(request);
        request.observer.complete();
        return;
      default:
        break;
    }
    request.observer.next({ result } as Envelope);
  }

  /**
   * The socket is gone (or given up on: then `closeCode` closes it): fail its
   * calls in flight, and reconnect if anything still needs a socket.
   */
  private lost(code: number | undefined, closeCode?: number) {
    this.attempt = this.isAnswered ? 0 : this.attempt + 1;
    this.retire(closeCode);
    this.options.onClose?.(code);
    this.moveOn(true);
  }

  /** The server is going away and asked for a new socket: move to one now, without counting a loss. */
  private replaceSocket() {
    this.retire(1000);
    this.moveOn(false);
  }

  /** After the socket went: fails the calls that were on it, and connects again if anything still needs a socket. */
  private moveOn(isAfterLoss: boolean) {
    this.failCalls('The connection was lost before the server answered.');
    if (this.isNeeded) this.connectSoon(isAfterLoss);
    else this.setState('idle', false);
  }

  /** Forgets the current socket (its events are ignored from now on), closing it if `code` is given. */
  private retire(code?: number) {
    const socket = this.socket;
    this.socket = undefined;
    this.isOpen = false;
    this.cancelKeepAlive?.();
    this.cancelIdleClose?.();
    for (const request of this.requests.values()) request.sentOn = undefined;
    if (socket && code !== undefined && socket.readyState <= 1) socket.close(code);
  }

  /** Fails the calls (not subscriptions) still waiting, or only those `isAffected` picks. */
  private failCalls(reason: string, isAffected: (request: PendingRequest) => boolean = () => true) {
    for (const [id, request] of this.requests) {
      if (request.message.method === 'subscription' || !isAffected(request)) continue;
      this.requests.delete(id);
      request.observer.error(connectionError(reason));
    }
  }

  /** Forgets a request that has ended; the socket closes a while later if nothing else needs it. */
  private forget(request: PendingRequest) {
    this.requests.delete(request.message.id);
    this.stateObservers.delete(request.observer);
    this.closeWhenIdle();
  }

  private closeWhenIdle() {
    if (this.isNeeded || !this.socket) return;
    this.cancelIdleClose?.();
    this.cancelIdleClose = this.setTimer(this.options.lazyCloseMs, () => {
      if (this.isNeeded) return;
      this.retire(1000);
      this.setState('idle', false);
    });
  }

  private startKeepAlive(socket: WebSocket) {
    const { intervalMs, pongTimeoutMs } = this.options.keepAlive;
    let seen = this.received;
    const check = () => {
      this.cancelKeepAlive = this.setTimer(intervalMs, check);
      if (this.received !== seen) {
        seen = this.received;
        return;
      }
      socket.send('PING');
      // Not cancelled with the socket: once it is replaced, the check finds another socket and does nothing.
      this.setTimer(pongTimeoutMs, () => {
        if (socket === this.socket && this.received === seen) this.lost(undefined, 3000);
      });
    };
    this.cancelKeepAlive = this.setTimer(intervalMs, check);
  }

  private wait(ms: number) {
    return new Promise<void>((resolve) => this.setTimer(ms, resolve));
  }
}

/** A tRPC link that sends its operations over `socket`. */
export function liveSocketLink(socket: LiveSocket): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable<Envelope, ClientError>((observer) => socket.request(op.type, op.path, op.input, observer));
}
