import {
  type AppErrorData,
  describeUnstorableText,
  findUnstorableText,
  SUBSCRIPTIONS_PER_SOCKET_MAX,
} from '@gopherchat/api';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AppError, appCodeForTrpcCode, TRPC_CODE_BY_APP_CODE } from '../errors.ts';
import { startDeadline } from '../lib/deadline.ts';
import { DrainingError } from '../lifecycle.ts';
import { isDatabaseUnavailable } from '../platform/database/index.ts';
import type { Context } from './context.ts';

const INTERNAL_USER_MESSAGE = 'Something went wrong on our side. Please try again.';

function describeError(error: TRPCError): Pick<AppErrorData, 'appCode' | 'userMessage'> {
  const { cause } = error;
  if (cause instanceof AppError) return { appCode: cause.code, userMessage: cause.userMessage };
  if (cause instanceof ZodError) {
    const first = cause.issues[0];
    return { appCode: 'INVALID_INPUT', userMessage: first?.message ?? 'The request is not valid.' };
  }
  const appCode = appCodeForTrpcCode(error.code);
  return { appCode, userMessage: appCode === 'INTERNAL' ? INTERNAL_USER_MESSAGE : error.message };
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const described = describeError(error);
    const data: AppErrorData & typeof shape.data = {
      ...shape.data,
      ...described,
      requestId: ctx?.requestId,
    };
    // Internal details (and stacks) stay in the log.
    delete data.stack;
    return {
      ...shape,
      // Validation failures would otherwise carry the raw issue list as their message.
      message:
        described.appCode === 'INTERNAL' || described.appCode === 'INVALID_INPUT'
          ? described.userMessage
          : shape.message,
      data,
    };
  },
});

const DATABASE_UNAVAILABLE_MESSAGE = 'The server lost its database for a moment. Please try again; nothing was lost.';

/**
 * Services throw AppError; this gives it the matching tRPC code (and so
 * HTTP status). A database that dropped the connection or missed a
 * deadline is a retryable UNAVAILABLE, not an INTERNAL error: what failed
 * did not happen, or happened and is safe to retry (sends carry client ids).
 */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const { cause } = result.error;
  if (cause instanceof AppError) {
    throw new TRPCError({ code: TRPC_CODE_BY_APP_CODE[cause.code], message: cause.userMessage, cause });
  }
  if (isDatabaseUnavailable(cause)) {
    throw new TRPCError({
      code: TRPC_CODE_BY_APP_CODE.UNAVAILABLE,
      message: DATABASE_UNAVAILABLE_MESSAGE,
      cause: new AppError('UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE, { cause }),
    });
  }
  return result;
});

/**
 * A query or mutation is answered within `ctx.requestDeadlineMs`, UNAVAILABLE
 * if its work is not done by then: a database that hangs (paused, a lock never
 * granted) otherwise held requests, and people's spinners, until it came back.
 * The work is not cancelled; a mutation answered this way may still complete,
 * so the error says to try again (sends carry client ids that make it safe).
 */
const answerWithinDeadline = t.middleware(async ({ ctx, type, next }) => {
  if (type === 'subscription') return next();
  const deadline = startDeadline(
    ctx.requestDeadlineMs,
    () => new AppError('UNAVAILABLE', 'The server took too long to answer. Please try again.'),
  );
  try {
    return await deadline.race(next());
  } finally {
    deadline.clear();
  }
});

/**
 * Mutations are admitted into the lifecycle so that a graceful shutdown
 * waits for them; once draining, new ones are refused with a retryable error.
 */
const trackMutations = t.middleware(async ({ ctx, type, next }) => {
  if (type !== 'mutation') return next();
  let done: () => void;
  try {
    done = ctx.lifecycle.admit();
  } catch (error) {
    if (!(error instanceof DrainingError)) throw error;
    throw new AppError('UNAVAILABLE', 'The server is restarting. Please try again in a moment.', { cause: error });
  }
  try {
    return await next();
  } finally {
    done();
  }
});

/**
 * `stream`, calling `release` once it ends whichever way: drained, failed,
 * returned early, or aborted before it started. Each call is passed through
 * as is, so the stream stops exactly as it would unwrapped.
 */
function releasedAfter<T>(stream: AsyncIterable<T>, signal: AbortSignal | undefined, release: () => void) {
  signal?.addEventListener('abort', release, { once: true });
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const inner = stream[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const step = await inner.next();
            if (step.done) release();
            return step;
          } catch (error) {
            release();
            throw error;
          }
        },
        async return(value?: unknown) {
          release();
          return (await inner.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}

/** A socket holds a bounded number of live subscriptions: each costs the server a stream and its buffers. */
const limitSubscriptions = t.middleware(async ({ ctx, type, signal, next }) => {
  if (type !== 'subscription' || !ctx.socket) return next();
  const release = ctx.socket.admitSubscription();
  if (!release) {
    throw new AppError(
      'RATE_LIMITED',
      `One connection can hold at most ${SUBSCRIPTIONS_PER_SOCKET_MAX} live subscriptions. Stop one first.`,
    );
  }
  const result = await next();
  if (!result.ok || !isAsyncIterable(result.data)) {
    release();
    return result;
  }
  return { ...result, data: releasedAfter(result.data, signal, release) };
});

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * Text PostgreSQL cannot store is refused before any schema, for every
 * procedure and every field: one NUL in one message used to fail the whole
 * send batch, every other person's messages with it.
 */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  const found = findUnstorableText(await getRawInput());
  if (found) throw new AppError('INVALID_INPUT', describeUnstorableText(found));
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure
  .use(mapAppErrors)
  .use(answerWithinDeadline)
  .use(refuseUnstorableText)
  .use(trackMutations)
  .use(limitSubscriptions);

/** Procedures for signed-in callers: `ctx.auth` is set, or the call fails with UNAUTHENTICATED. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  const { auth } = ctx;
  if (!auth) throw ctx.authError ?? new AppError('UNAUTHENTICATED', 'Please sign in to continue.');
  return next({ ctx: { auth } });
});

/**
 * Subscriptions whose data the server writes onto the socket itself (see
 * `TrackedChannel`): `ctx.channel` is this subscription's channel. They are
 * served over the WebSocket only.
 */
export const channelSubscriptionProcedure = protectedProcedure.use(async ({ ctx, getRawInput, signal, next }) => {
  const channel = signal && ctx.socket?.trackedChannel(await getRawInput(), signal);
  if (!channel) throw new AppError('INVALID_INPUT', 'Live events are served over the WebSocket connection only.');
  return next({ ctx: { channel } });
});

/**
 * What a channel subscription's resolver returns: to tRPC, a stream of
 * `TItem` (the type clients see) that ends when `delivery` does, its items
 * having gone through the channel; a failure of `delivery` is the stream's.
 */
export function deliveredThroughChannel<TItem>(delivery: Promise<void>): AsyncIterable<TItem> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<TItem>> => {
        await delivery;
        return { done: true, value: undefined };
      },
    }),
  };
}
