import type { AnyRouter } from '@trpc/server';
import { getWSConnectionHandler, type WSSHandlerOptions } from '@trpc/server/adapters/ws';
import type { Server, ServerWebSocket, WebSocketHandler } from 'bun';
import type { Logger } from 'pino';
import type { Lifecycle } from '../lifecycle.ts';
import { isAllowedOrigin } from '../origin.ts';

type Listener = (...args: never[]) => void;

/** Sockets with frames waiting for the end of this event-loop turn. */
const socketsToFlush = new Set<TrpcSocket>();

function flushSockets() {
  for (const socket of socketsToFlush) socket.flush();
  socketsToFlush.clear();
}

/**
 * The slice of the `ws` package's socket that tRPC's connection handler
 * uses, over a Bun ServerWebSocket. Bun hands us raw frames, so nothing is
 * parsed twice, and its backpressure signals stay within reach.
 *
 * Frames are written at the end of the event-loop turn, corked: everything
 * a socket was given in one turn leaves in one write. A loopback write costs
 * about as much as building the frame, so under load (when several events
 * for one socket pile up in a turn) this is what keeps the server ahead.
 */
class TrpcSocket {
  readyState: 0 | 1 | 2 | 3 = 1;
  private readonly listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>();
  private pending: Array<string | Uint8Array> = [];

  constructor(
    private readonly raw: ServerWebSocket<SocketData>,
    private readonly sendBufferLimit: number,
    private readonly onTooSlow: () => void,
  ) {}

  send(data: string | Uint8Array) {
    if (this.readyState !== 1) return;
    this.pending.push(data);
    if (socketsToFlush.size === 0) setImmediate(flushSockets);
    socketsToFlush.add(this);
  }

  /**
   * Writes the waiting frames, unless this client has stopped keeping up:
   * once more than `sendBufferLimit` bytes wait in its buffer, it is
   * disconnected rather than left to grow the server's memory. Nothing is
   * silently dropped: the client reconnects and resumes from its last event id.
   */
  flush() {
    const frames = this.pending;
    this.pending = [];
    if (this.readyState !== 1 || frames.length === 0) return;
    let isTooSlow = false;
    this.raw.cork(() => {
      for (const frame of frames) {
        if (this.raw.getBufferedAmount() > this.sendBufferLimit || this.raw.send(frame) === 0) {
          isTooSlow = true;
          return;
        }
      }
    });
    if (isTooSlow) {
      this.onTooSlow();
      // Not a close handshake: its frame would wait behind the data the client is not reading.
      this.terminate();
    }
  }

  close(code?: number, reason?: string) {
    if (this.readyState >= 2) return;
    this.flush();
    if (this.readyState >= 2) return; // the flush found it too slow
    this.readyState = 2;
    this.raw.close(code, reason);
  }

  terminate() {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    this.raw.terminate();
  }

  on(event: string, fn: Listener) {
    return this.addListener(event, fn, false);
  }

  once(event: string, fn: Listener) {
    return this.addListener(event, fn, true);
  }

  private addListener(event: string, fn: Listener, once: boolean) {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn, once });
    this.listeners.set(event, list);
    return this;
  }

  emit(event: string, ...args: unknown[]) {
    const list = this.listeners.get(event);
    if (!list) return;
    this.listeners.set(
      event,
      list.filter((entry) => !entry.once),
    );
    for (const entry of list) (entry.fn as (...a: unknown[]) => void)(...args);
  }
}

interface SocketData {
  requestId: string;
  upgradeRequest: Request;
  /** What tRPC reads of the upgrade request: the URL (for `?connectionParams=1`) and headers. */
  request: { url: string; headers: Record<string, string> };
  socket?: TrpcSocket;
  /** The session the socket authenticated as, once it has. */
  sessionId?: string;
  /** Closes the socket when it has not authenticated in time, or its access token runs out. */
  authTimer?: ReturnType<typeof setTimeout>;
}

/** Who a socket is: set at connection, and extended when the client renews its access token. */
export interface SocketAuth {
  sessionId: string;
  /** Epoch ms; the socket is closed then unless renewed. */
  expiresAt: number;
}

/** Lets a procedure running on this socket renew its authentication (same session only). */
export interface SocketAuthControl {
  renew(auth: SocketAuth): boolean;
}

export interface WebSocketContextInput {
  requestId: string;
  /** The upgrade request (headers, peer address). */
  request: Request;
  connectionParams: Record<string, string | undefined> | null;
  socket: SocketAuthControl;
}

/**
 * Close codes in the application range. A client that sees 4401 or 4402
 * gets a fresh access token before reconnecting; 4001 means signed out.
 */
export const CLOSE_SESSION_REVOKED = 4001;
export const CLOSE_AUTH_REQUIRED = 4401;
export const CLOSE_TOKEN_EXPIRED = 4402;

/** Close code for "server restarting, come back": clients reconnect (and resume) elsewhere. */
export const CLOSE_SERVICE_RESTART = 1012;

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
  logger: Logger;
}) {
  const { lifecycle, logger } = options;
  const allowedOrigins = new Set(options.allowedOrigins);
  const sockets = new Set<ServerWebSocket<SocketData>>();

  function closeLater(data: SocketData, atMs: number, code: number, reason: string) {
    clearTimeout(data.authTimer);
    data.authTimer = setTimeout(() => data.socket?.close(code, reason), Math.max(0, atMs - Date.now()));
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
    // Typed as required, but only applyWSSHandler reads it: Bun.serve owns the sockets here.
    wss: undefined as unknown as WSSHandlerOptions<TRouter>['wss'],
    createContext: async ({ info, req }) => {
      const data = (req as unknown as { socketData: SocketData }).socketData;
      const context = await options.createContext({
        requestId: data.requestId,
        request: data.upgradeRequest,
        connectionParams: info.connectionParams,
        socket: { renew: (auth) => authenticate(data, auth) },
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

  const websocket: WebSocketHandler<SocketData> = {
    // Bun's own cap, a backstop above ours: past it Bun closes the socket itself.
    backpressureLimit: options.sendBufferLimit * 2,
    closeOnBackpressureLimit: true,
    open(ws) {
      const socket = new TrpcSocket(ws, options.sendBufferLimit, () =>
        logger.warn({ requestId: ws.data.requestId, buffered: ws.getBufferedAmount() }, 'slow consumer disconnected'),
      );
      ws.data.socket = socket;
      sockets.add(ws);
      closeLater(ws.data, Date.now() + options.authDeadlineMs, CLOSE_AUTH_REQUIRED, 'authentication required');
      const req = { ...ws.data.request, socketData: ws.data, socket: {} };
      handleConnection(socket as unknown as TrpcClient, req as unknown as TrpcUpgradeRequest);
    },
    message(ws, message) {
      // tRPC's handler expects `ws`-style Buffers for text frames.
      ws.data.socket?.emit('message', typeof message === 'string' ? Buffer.from(message) : message, false);
    },
    close(ws, code, reason) {
      sockets.delete(ws);
      clearTimeout(ws.data.authTimer);
      const socket = ws.data.socket;
      if (!socket) return;
      socket.readyState = 3;
      socket.emit('close', code, reason);
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
