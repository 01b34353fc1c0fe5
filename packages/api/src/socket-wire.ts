// The WebSocket transport's own constants, written once for the server, the SDK and the web
// app. Free of zod, like the other *-wire files. The SDK checks the paths against AppRouter
// (this package cannot see the server's router), so a renamed procedure fails the build.

/** Where the server serves tRPC: HTTP calls under it, the WebSocket at it. */
export const TRPC_PATH = '/trpc';

/** The session was revoked (signed out elsewhere): the socket will not be let back in. */
export const CLOSE_SESSION_REVOKED = 4001;
/** The socket presented no valid access token in time: get a fresh one, then reconnect. */
export const CLOSE_AUTH_REQUIRED = 4401;
/** The socket's access token ran out before it was renewed: get a fresh one, then reconnect. */
export const CLOSE_TOKEN_EXPIRED = 4402;
/** Server restarting, come back: clients reconnect (and resume) elsewhere. */
export const CLOSE_SERVICE_RESTART = 1012;
/** A frame the protocol has no place for (too deep, or one that failed in a way only a hostile client causes). */
export const CLOSE_POLICY_VIOLATION = 1008;
/** A binary frame: the protocol is JSON text. */
export const CLOSE_UNSUPPORTED_DATA = 1003;

/** Whether the server closed the socket for its credentials (revoked, missing or refused, expired). */
export const isAuthCloseCode = (code: number | undefined): boolean =>
  code === CLOSE_SESSION_REVOKED || code === CLOSE_AUTH_REQUIRED || code === CLOSE_TOKEN_EXPIRED;

/**
 * Calls that go over the WebSocket even though they are not subscriptions:
 * renewing the socket's own credentials, and the small, frequent signals a
 * live client sends (receipts, typing, leaving the device idle: that one is
 * about the socket's own subscription), which there cost no HTTP request
 * and no token check each: the socket was authenticated once.
 */
export const SOCKET_PATHS = [
  'auth.renewSocket',
  'receipts.markDelivered',
  'receipts.markRead',
  'conversations.typing',
  'presence.setIdle',
] as const;

/**
 * Calls that take the socket while it is open, and HTTP otherwise: sends.
 * On an open socket a send costs no HTTP request and no token check: at
 * 1 000–2 000 msg/s that saved the server 4–8% of its CPU and the clients
 * 17–26% (docs/decisions/0013-sends-take-the-open-socket.md). Without one, HTTP fails at once
 * when offline and spares a client that only sends (a bot) a socket. A send
 * whose socket goes before the answer fails like one whose HTTP request
 * did; its retry with the same client message id is safe.
 */
export const OPEN_SOCKET_PATHS = ['messages.send'] as const;
