import { CALLS_PER_BATCH_MAX, OPEN_SOCKET_PATHS, SOCKET_PATHS, TRPC_PATH } from '@gopherchat/api';
import type { AppRouter } from '@gopherchat/server/router';
import { createTRPCClient, httpBatchLink, splitLink, type TRPCClient } from '@trpc/client';
import { backoffDelay } from './backoff.ts';
import type { CallPath } from './call-path.ts';
import { type ConnectionState, LiveSocket, liveSocketLink } from './live-socket.ts';

export type { ConnectionState };

export interface GopherClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000` (HTTP and WebSocket share it). */
  url: string | URL;
  /**
   * The current access token, if signed in: sent as `Authorization: Bearer`
   * on HTTP calls and in the WebSocket's connection parameters.
   */
  accessToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** For runtimes without a global WebSocket. */
  WebSocket?: typeof WebSocket;
  /**
   * Reconnect delay per attempt; defaults to capped exponential backoff with
   * jitter, or to none when `waitToConnect` does the waiting.
   */
  retryDelayMs?: (attempt: number) => number;
  /**
   * Awaited before every attempt to open the socket, the first and each
   * reconnect, so that the caller decides when to try (its own backoff, not
   * while offline, at once when the network is back). Rejecting fails that
   * attempt.
   */
  waitToConnect?: () => Promise<void>;
  /** Told about every change of the WebSocket's state. */
  onConnectionStateChange?: (state: ConnectionState) => void;
  /** Told each time the socket is lost, or an attempt to open one fails. */
  onConnectionLost?: () => void;
  /**
   * Told each time a subscription starts, or starts again after a reconnect:
   * the server has accepted the socket, credentials and all.
   */
  onSubscriptionStarted?: () => void;
  /**
   * Told the close code whenever the socket closes. `CLOSE_SESSION_REVOKED`:
   * the session was revoked; `CLOSE_AUTH_REQUIRED` / `CLOSE_TOKEN_EXPIRED`:
   * the access token was missing, invalid or expired (get a fresh one; the
   * socket reconnects by itself). `isAuthCloseCode` (@gopherchat/api) tells
   * these apart from the rest.
   */
  onSocketClosed?: (code: number | undefined) => void;
}

export interface GopherClient {
  /** The typed API: `client.api.announcements.post.mutate({ text })`. */
  api: TRPCClient<AppRouter>;
  /**
   * Hands a fresh access token to the open socket, so it and its
   * subscriptions outlive the token they started with. Does nothing when no
   * socket is open (the next one connects with the fresh token).
   */
  renewSocket(accessToken: string): Promise<void>;
  /**
   * Closes the current socket as if it had been lost: subscriptions stay,
   * reconnect (through `waitToConnect`) and resume from their last event id.
   * For when the network is known to be gone before the socket notices.
   */
  dropSocket(): void;
  /** Closes the WebSocket; pending subscriptions end. The next subscription opens a new one. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Paths of the calls that go over the socket: typed against AppRouter, so a renamed or removed procedure fails to compile. */
const SOCKET_CALLS: ReadonlySet<string> = new Set<CallPath>(SOCKET_PATHS);
const OPEN_SOCKET_CALLS: ReadonlySet<string> = new Set<CallPath>(OPEN_SOCKET_PATHS);

/**
 * A typed client for a GopherChat server: queries and mutations over HTTP
 * (batched), subscriptions over one WebSocket that reconnects with backoff and
 * resumes tracked streams from the last event id it saw.
 */
export function createGopherClient(options: GopherClientOptions): GopherClient {
  const base = new URL(options.url);
  const httpUrl = new URL(TRPC_PATH, base);
  const wsUrl = new URL(TRPC_PATH, base);
  wsUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';

  const socket = new LiveSocket({
    url: wsUrl.href,
    WebSocket: options.WebSocket,
    connectionParams: async () => {
      const token = await options.accessToken?.();
      return token ? { accessToken: token } : ({} as Record<string, string>);
    },
    waitToConnect: options.waitToConnect,
    retryDelayMs: options.retryDelayMs ?? (options.waitToConnect ? () => 0 : (attempt) => backoffDelay(attempt)),
    // Open on first subscription; keep the socket a little after the last one ends.
    lazyCloseMs: 10_000,
    keepAlive: { intervalMs: 15_000, pongTimeoutMs: 5_000 },
    onStateChange: (state, isLoss) => {
      options.onConnectionStateChange?.(state);
      if (isLoss) options.onConnectionLost?.();
    },
    onSubscriptionStarted: options.onSubscriptionStarted,
    onClose: options.onSocketClosed,
  });

  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) =>
          op.type === 'subscription' ||
          SOCKET_CALLS.has(op.path) ||
          (OPEN_SOCKET_CALLS.has(op.path) && socket.connectionState === 'pending'),
        true: liveSocketLink(socket),
        false: httpBatchLink<AppRouter>({
          url: httpUrl.href,
          // The server refuses a larger batch whole: many calls in one tick go as several requests.
          maxItems: CALLS_PER_BATCH_MAX,
          headers: async () => {
            const token = await options.accessToken?.();
            return token ? { authorization: `Bearer ${token}` } : {};
          },
        }),
      }),
    ],
  });

  // The client lives on after `close()`: the next subscription opens a socket again.
  const close = async () => socket.close();
  const renewSocket = async (accessToken: string) => {
    if (socket.connectionState !== 'pending') return;
    await api.auth.renewSocket.mutate({ accessToken });
  };
  const dropSocket = () => socket.drop();
  return { api, renewSocket, dropSocket, close, [Symbol.asyncDispose]: close };
}
