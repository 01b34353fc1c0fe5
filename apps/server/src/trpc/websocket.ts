import {
  CALLS_PER_BATCH_MAX,
  CLOSE_AUTH_REQUIRED,
  CLOSE_POLICY_VIOLATION,
  CLOSE_SERVICE_RESTART,
  CLOSE_SESSION_REVOKED,
  CLOSE_TOKEN_EXPIRED,
  CLOSE_UNSUPPORTED_DATA,
  SUBSCRIPTIONS_PER_SOCKET_MAX,
} from '@gopherchat/api';
import type { AnyRouter } from '@trpc/server';
import { getWSConnectionHandler, type WSSHandlerOptions } from '@trpc/server/adapters/ws';
import type { Server, ServerWebSocket, WebSocketHandler } from 'bun';
import type { Logger } from 'pino';
import type { Lifecycle } from '../lifecycle.ts';
import { isAllowedOrigin } from '../origin.ts';
import type { CancelTimer, Scheduler } from '../platform/clock/index.ts';
import { FRAME_MAX_BYTES, FRAME_MAX_DEPTH, isNestedDeeperThan } from './frame-limits.ts';
import { type TrackedChannel, TrpcSocket } from './socket.ts';

interface SocketData {
  requestId: string;
  upgradeRequest: Request;
  /** What tRPC reads of the upgrade request: the URL (for `?connectionParams=1`) and headers. */
  request: { url: string; headers: Record<string, string> };
  socket?: TrpcSocket;
  /** The session the socket authenticated as, once it has. */
  sessionId?: string;
  /** Closes the socket when it has not authenticated in time, or its access token runs out. */
  cancelAuthTimer?: CancelTimer;
  /** Subscriptions admitted and not yet ended. */
  subscriptionCount: number;
}

/** Who a socket is: set at connection, and extended when the client renews its access token. */
export interface SocketAuth {
  sessionId: string;
  /** Epoch ms; the socket is closed then unless renewed. */
  expiresAt: number;
}

/**
 * The key under which the transport adds, to the input of every subscription
 * it receives, the request's id: how a procedure finds its own
 * `TrackedChannel`. Whatever a client puts there is overwritten.
 */
const REQUEST_TAG = '$transportRequest';

interface RequestTag {
  id: number | string;
  jsonrpc?: '2.0';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The id (and JSON-RPC marker) of a request, or of a tag copied from one; undefined when it has no usable id. */
function requestTagOf(value: unknown): RequestTag | undefined {
  if (!isPlainObject(value) || (typeof value.id !== 'number' && typeof value.id !== 'string')) return undefined;
  return { id: value.id, ...(value.jsonrpc === '2.0' ? { jsonrpc: '2.0' } : {}) };
}

/** Tags each subscription request of a client message (one request or a batch) with its id. */
function tagSubscriptionRequests(text: string): string {
  if (!text.includes('"subscription"')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text; // tRPC answers with its parse error
  }
  for (const request of Array.isArray(parsed) ? parsed : [parsed]) {
    if (!isPlainObject(request) || request.method !== 'subscription' || !isPlainObject(request.params)) continue;
    const tag = requestTagOf(request);
    const { input } = request.params;
    if (!tag || (input !== undefined && !isPlainObject(input))) continue;
    request.params.input = { ...input, [REQUEST_TAG]: tag };
  }
  return JSON.stringify(parsed);
}

/** What a procedure running on this socket may do to it. */
export interface SocketControl {
  /** This socket's own id, unique on this instance. */
  readonly id: string;
  /** Renews the socket's authentication (same session only). */
  renew(auth: SocketAuth): boolean;
  /**
   * The channel that writes this subscription's data straight onto the
   * socket; `rawInput` is the subscription's unvalidated input, which
   * carries the transport's tag of the request.
   */
  trackedChannel(rawInput: unknown, signal: AbortSignal): TrackedChannel | undefined;
  /**
   * Counts a subscription against the socket's cap: the function that
   * releases its place (idempotent), or undefined when the socket is full.
   */
  admitSubscription(): (() => void) | undefined;
}

export interface WebSocketContextInput {
  requestId: string;
  /** The upgrade request (headers, peer address). */
  request: Request;
  connectionParams: Record<string, string | undefined> | null;
  socket: SocketControl;
}

export function createTrpcWebSocketTransport<TRouter extends AnyRouter>(options: {
  router: TRouter;
  /** Called once per connection; `auth` ties the socket to a session until the token expires. */
  createContext: (input: WebSocketContextInput) => Promise<{ auth: SocketAuth | null }>;
  allowedOrigins: readonly string[];
  /** How long a new socket has to present a valid access token. */
  authDeadlineMs: number;
  /** Bytes a socket may have waiting to be sent before it is disconnected as too slow. */
  sendBufferLimit: number;
  lifecycle: Lifecycle;
  /** Times the authentication deadline and token expiry (a test moves it instead of waiting). */
  clock: Scheduler;
  logger: Logger;
}) {
  const { lifecycle, clock, logger } = options;
  const allowedOrigins = new Set(options.allowedOrigins);
  const sockets = new Set<ServerWebSocket<SocketData>>();

  function closeLater(data: SocketData, atMs: number, code: number, reason: string) {
    data.cancelAuthTimer?.();
    data.cancelAuthTimer = clock.setTimer(atMs - clock.now(), () => data.socket?.close(code, reason));
  }

  function authenticate(data: SocketData, auth: SocketAuth): boolean {
    // A socket belongs to one session for life; a token of another session must open its own.
    if (data.sessionId !== undefined && data.sessionId !== auth.sessionId) return false;
    data.sessionId = auth.sessionId;
    closeLater(data, auth.expiresAt, CLOSE_TOKEN_EXPIRED, 'access token expired');
    return true;
  }

  type ConnectionHandler = ReturnType<typeof getWSConnectionHandler<TRouter>>;
  type TrpcClient = Parameters<ConnectionHandler>[0];
  type TrpcUpgradeRequest = Parameters<ConnectionHandler>[1];

  const handleConnection: ConnectionHandler = getWSConnectionHandler<TRouter>({
    router: options.router,
    maxBatchSize: CALLS_PER_BATCH_MAX,
    // Typed as required, but only applyWSSHandler reads it: Bun.serve owns the sockets here.
    wss: undefined as unknown as WSSHandlerOptions<TRouter>['wss'],
    createContext: async ({ info, req }) => {
      const data = (req as unknown as { socketData: SocketData }).socketData;
      const context = await options.createContext({
        requestId: data.requestId,
        request: data.upgradeRequest,
        connectionParams: info.connectionParams,
        socket: {
          id: data.requestId,
          renew: (auth) => authenticate(data, auth),
          trackedChannel: (rawInput, signal) => {
            const tag = isPlainObject(rawInput) ? requestTagOf(rawInput[REQUEST_TAG]) : undefined;
            return tag && data.socket?.trackedChannel(tag, signal);
          },
          admitSubscription: () => {
            if (data.subscriptionCount >= SUBSCRIPTIONS_PER_SOCKET_MAX) return undefined;
            data.subscriptionCount++;
            let isReleased = false;
            return () => {
              if (isReleased) return;
              isReleased = true;
              data.subscriptionCount--;
            };
          },
        },
      });
      if (context.auth) authenticate(data, context.auth);
      else closeLater(data, 0, CLOSE_AUTH_REQUIRED, 'authentication required');
      return context as never;
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path }, 'websocket procedure failed');
    },
  });

  /** Browsers always send Origin on a WebSocket upgrade; other clients (SDK, bots) send none. */
  const isOriginAllowed = (request: Request) => isAllowedOrigin(request, allowedOrigins) !== false;

  /** Closes a socket whose frame broke the protocol's limits, and only that socket. */
  function refuse(ws: ServerWebSocket<SocketData>, code: number, reason: string, error?: unknown) {
    logger.warn({ requestId: ws.data.requestId, err: error, reason }, 'websocket frame refused');
    if (ws.data.socket) ws.data.socket.close(code, reason);
    else ws.close(code, reason);
  }

  const websocket: WebSocketHandler<SocketData> = {
    // Larger frames: Bun closes the socket with 1009 before anything reads them.
    maxPayloadLength: FRAME_MAX_BYTES,
    // Bun's own cap, a backstop above ours: past it Bun closes the socket itself.
    backpressureLimit: options.sendBufferLimit * 2,
    closeOnBackpressureLimit: true,
    open(ws) {
      const socket = new TrpcSocket(ws, options.sendBufferLimit, () =>
        logger.warn({ requestId: ws.data.requestId, buffered: ws.getBufferedAmount() }, 'slow consumer disconnected'),
      );
      ws.data.socket = socket;
      sockets.add(ws);
      closeLater(ws.data, clock.now() + options.authDeadlineMs, CLOSE_AUTH_REQUIRED, 'authentication required');
      const req = { ...ws.data.request, socketData: ws.data, socket: {} };
      handleConnection(socket as unknown as TrpcClient, req as unknown as TrpcUpgradeRequest);
    },
    message(ws, message) {
      if (typeof message !== 'string') return refuse(ws, CLOSE_UNSUPPORTED_DATA, 'binary frames are not accepted');
      if (isNestedDeeperThan(message, FRAME_MAX_DEPTH)) {
        return refuse(ws, CLOSE_POLICY_VIOLATION, `frames nest at most ${FRAME_MAX_DEPTH} levels`);
      }
      try {
        // tRPC's handler expects `ws`-style Buffers for text frames.
        ws.data.socket?.emit('message', Buffer.from(tagSubscriptionRequests(message)), false);
      } catch (error) {
        // tRPC answers what it can parse; what escapes it is a frame no client of ours sends.
        refuse(ws, CLOSE_POLICY_VIOLATION, 'frame could not be handled', error);
      }
    },
    drain(ws) {
      ws.data.socket?.drained();
    },
    close(ws, code, reason) {
      sockets.delete(ws);
      ws.data.cancelAuthTimer?.();
      ws.data.socket?.closed(code, reason);
    },
  };

  return {
    websocket,

    /** Handles an upgrade request; undefined means Bun took the connection over. */
    upgrade(request: Request, server: Server<SocketData>, requestId: string): Response | undefined {
      if (!isOriginAllowed(request)) {
        logger.warn({ origin: request.headers.get('origin'), requestId }, 'websocket origin refused');
        return new Response('Origin not allowed', { status: 403 });
      }
      if (lifecycle.isDraining) return new Response('Server is restarting', { status: 503 });
      const url = new URL(request.url);
      const isUpgraded = server.upgrade(request, {
        data: {
          requestId,
          upgradeRequest: request,
          subscriptionCount: 0,
          request: { url: url.pathname + url.search, headers: Object.fromEntries(request.headers) },
        },
      });
      return isUpgraded ? undefined : new Response('Expected a WebSocket upgrade', { status: 426 });
    },

    get connectionCount() {
      return sockets.size;
    },

    /** Closes the sockets of these sessions, on this instance. */
    closeSessions(sessionIds: readonly string[], reason: string) {
      const revoked = new Set(sessionIds);
      for (const ws of sockets) {
        if (ws.data.sessionId && revoked.has(ws.data.sessionId)) ws.data.socket?.close(CLOSE_SESSION_REVOKED, reason);
      }
    },

    /**
     * Asks every client to reconnect (tRPC's reconnect notification), then
     * closes with 1012; subscriptions end, and clients resume elsewhere from
     * their last event id.
     */
    closeAll(reason: string) {
      const notification = JSON.stringify({ id: null, method: 'reconnect' });
      for (const ws of sockets) {
        ws.data.socket?.send(notification);
        ws.data.socket?.close(CLOSE_SERVICE_RESTART, reason);
      }
    },
  };
}

export type TrpcWebSocketTransport = ReturnType<typeof createTrpcWebSocketTransport>;
