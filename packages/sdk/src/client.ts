import type { AppRouter } from '@gopherchat/server/router';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, type TRPCClient, wsLink } from '@trpc/client';
import { backoffDelay } from './backoff.ts';

export type ConnectionState = 'idle' | 'connecting' | 'pending';

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
  /** Reconnect delay per attempt; defaults to capped exponential backoff with jitter. */
  retryDelayMs?: (attempt: number) => number;
  /** Told about every change of the WebSocket's state. */
  onConnectionStateChange?: (state: ConnectionState) => void;
  /**
   * Told the close code whenever the socket closes. 4001: the session was
   * revoked; 4401 / 4402: the access token was missing, invalid or expired
   * (get a fresh one; the socket reconnects by itself).
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
  /** Closes the WebSocket; pending subscriptions end. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Calls that go over the WebSocket even though they are not subscriptions:
 * renewing the socket's own credentials, and the small, frequent signals a
 * live client sends (receipts, typing), which there cost no HTTP request
 * and no token check each: the socket was authenticated once.
 */
const SOCKET_PATHS = new Set([
  'auth.renewSocket',
  'receipts.markDelivered',
  'receipts.markRead',
  'conversations.typing',
]);

/**
 * A typed client for a GopherChat server: queries and mutations over HTTP
 * (batched), subscriptions over one WebSocket that reconnects with backoff and
 * resumes tracked streams from the last event id it saw.
 */
export function createGopherClient(options: GopherClientOptions): GopherClient {
  const base = new URL(options.url);
  const httpUrl = new URL('/trpc', base);
  const wsUrl = new URL('/trpc', base);
  wsUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';

  const wsClient = createWSClient({
    url: wsUrl.href,
    WebSocket: options.WebSocket,
    connectionParams: async () => {
      const token = await options.accessToken?.();
      return token ? { accessToken: token } : {};
    },
    retryDelayMs: options.retryDelayMs ?? ((attempt) => backoffDelay(attempt)),
    // Open on first subscription; keep the socket a little after the last one ends.
    lazy: { enabled: true, closeMs: 10_000 },
    keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
    onClose: (cause) => options.onSocketClosed?.(cause?.code),
  });

  const stateSubscription = options.onConnectionStateChange
    ? wsClient.connectionState.subscribe({
        next: (value) => options.onConnectionStateChange?.(value.state),
      })
    : undefined;

  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription' || SOCKET_PATHS.has(op.path),
        true: wsLink<AppRouter>({ client: wsClient }),
        false: httpBatchLink<AppRouter>({
          url: httpUrl.href,
          headers: async () => {
            const token = await options.accessToken?.();
            return token ? { authorization: `Bearer ${token}` } : {};
          },
        }),
      }),
    ],
  });

  const close = async () => {
    stateSubscription?.unsubscribe();
    await wsClient.close();
  };
  const renewSocket = async (accessToken: string) => {
    if (wsClient.connectionState.get().state !== 'pending') return;
    await api.auth.renewSocket.mutate({ accessToken });
  };
  return { api, renewSocket, close, [Symbol.asyncDispose]: close };
}
