import { type ConnectionState, createGopherClient } from '@gopherchat/sdk';
import { createSignal } from 'solid-js';

const [connectionState, setConnectionState] = createSignal<ConnectionState>('idle');

/**
 * The one client of the app. The page is served from the API's origin (by
 * the server in production, through Vite's proxy in development), so the
 * API lives at this page's origin.
 */
export const gopher = createGopherClient({
  url: window.location.origin,
  onConnectionStateChange: setConnectionState,
});

/** The WebSocket's state, for the status indicator. */
export { connectionState };
