import { TRPC_PATH } from '@gopherchat/api';
import { type App, type AppDeps, createApp } from './app.ts';
import type { Config } from './env.ts';
import { requestIdFor } from './http.ts';
import { rememberPeerAddress } from './origin.ts';
import { errorResponse, withAbsoluteUrl } from './request-url.ts';

/** Bytes of one request body: a batch of the longest messages fits many times over. */
const REQUEST_BODY_MAX_BYTES = 2 * 1024 * 1024;

export interface RunningServer {
  app: App;
  url: URL;
  port: number;
  /**
   * Drains and stops: refuses new work, asks WebSocket clients to reconnect,
   * lets in-flight mutations finish, then closes pools. Resolves true when
   * everything finished within the deadline.
   */
  shutdown(reason: string): Promise<boolean>;
}

function withDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

export async function startServer(config: Config, deps: AppDeps): Promise<RunningServer> {
  const { logger } = deps;
  const app = await createApp(config, deps);

  const server = Bun.serve({
    hostname: config.host,
    port: config.port,
    // Never share the port: a stale instance would silently take half the traffic.
    reusePort: false,
    // Nothing the app serves takes a large body: uploads go straight to the object store.
    maxRequestBodySize: REQUEST_BODY_MAX_BYTES,
    fetch(received, server) {
      const request = withAbsoluteUrl(received);
      if (!request) return errorResponse(400, 'The request line is malformed.');
      rememberPeerAddress(request, server.requestIP(received)?.address);
      const url = new URL(request.url);
      if (url.pathname === TRPC_PATH && request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
        return app.websockets.upgrade(request, server, requestIdFor(request));
      }
      return app.http.handle(request);
    },
    websocket: app.websockets.websocket,
    // A handler that threw: the app's own error handling missed it, so it is a bug, but still an answer.
    error(error) {
      logger.error({ err: error }, 'request failed outside the handlers');
      return errorResponse(500, 'Something went wrong on our side. Please try again.');
    },
  });

  let shutdownPromise: Promise<boolean> | undefined;

  async function shutdown(reason: string): Promise<boolean> {
    const startedAt = Date.now();
    const remaining = () => Math.max(0, config.shutdownTimeoutMs - (Date.now() - startedAt));
    logger.info(
      { reason, inFlight: app.lifecycle.inFlight, sockets: app.websockets.connectionCount },
      'shutting down: draining',
    );
    app.lifecycle.beginDrain();
    // Stop listening; the promise settles when open HTTP exchanges are done.
    const stopped = server.stop(false);
    app.websockets.closeAll('server restarting');
    let isClean = await withDeadline(app.lifecycle.whenIdle(), remaining());
    isClean = (await withDeadline(stopped, remaining())) && isClean;
    if (!isClean) {
      logger.warn({ inFlight: app.lifecycle.inFlight }, 'shutdown deadline passed; closing connections');
      await server.stop(true);
    }
    // Closing pools waits on the database and Redis: a hung one must not hold the exit past the deadline.
    if (!(await withDeadline(app.close(), remaining()))) {
      logger.warn('shutdown deadline passed while closing connections; exiting anyway');
      isClean = false;
    }
    logger.info({ ms: Date.now() - startedAt, isClean }, 'shut down');
    return isClean;
  }

  const port = server.port ?? config.port;
  return {
    app,
    port,
    url: new URL(`http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`),
    shutdown(reason) {
      shutdownPromise ??= shutdown(reason);
      return shutdownPromise;
    },
  };
}
