import type { AppRouter } from '@gopherchat/server/router';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export { backoffDelay } from './backoff.ts';
export { type ConnectionState, createGopherClient, type GopherClient, type GopherClientOptions } from './client.ts';
export { toAppError } from './errors.ts';
export {
  afterStreamError,
  isTransientError,
  type LiveStream,
  type LiveStreamHandlers,
  type LiveStreamOptions,
  type LiveStreamState,
  type LiveSubscribe,
  subscribeLive,
} from './live-stream.ts';
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
