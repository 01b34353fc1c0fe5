import {
  ZChangePasswordInput,
  ZLoginInput,
  ZRegisterInput,
  ZRenewSocketInput,
  ZRevokeSessionInput,
} from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { Context } from '../../trpc/context.ts';
import { protectedProcedure, publicProcedure, router } from '../../trpc/init.ts';
import { clearedRefreshCookie, refreshCookie } from './cookies.ts';
import type { IssuedSession } from './service.ts';

/** Cookies are only ever set for pages we serve, and only over HTTP. */
function requireCookieChannel(ctx: Context): Headers {
  if (!ctx.caller.isSameOrigin) throw new AppError('FORBIDDEN', 'Sign in from the GopherChat app itself.');
  if (!ctx.resHeaders) throw new AppError('INVALID_INPUT', 'Sign in over HTTP, not over the live connection.');
  return ctx.resHeaders;
}

function deliver(ctx: Context, headers: Headers, issued: IssuedSession) {
  headers.append(
    'set-cookie',
    refreshCookie(issued.refreshToken, issued.refreshTokenExpiresAt, {
      isSecure: ctx.caller.isSecure,
      now: Date.now(),
    }),
  );
  return issued.signedIn;
}

export const authRouter = router({
  register: publicProcedure.input(ZRegisterInput).mutation(async ({ ctx, input }) => {
    const headers = requireCookieChannel(ctx);
    return deliver(ctx, headers, await ctx.services.auth.register(input, ctx.caller));
  }),

  login: publicProcedure.input(ZLoginInput).mutation(async ({ ctx, input }) => {
    const headers = requireCookieChannel(ctx);
    return deliver(ctx, headers, await ctx.services.auth.login(input, ctx.caller));
  }),

  me: protectedProcedure.query(({ ctx }) => ctx.services.auth.me(ctx.auth)),

  /** The sign-in providers this server offers (the sign-in screen shows a button for each). */
  providers: publicProcedure.query(({ ctx }) => ctx.services.auth.providerIds()),

  /** How the signed-in person can sign in: a password, providers, or both. */
  signInMethods: protectedProcedure.query(({ ctx }) => ctx.services.auth.signInMethods(ctx.auth.userId)),

  /**
   * Over the WebSocket only: presents a fresh access token so the socket
   * (and every subscription on it) outlives the token it connected with.
   */
  renewSocket: publicProcedure.input(ZRenewSocketInput).mutation(async ({ ctx, input }) => {
    if (!ctx.socket) throw new AppError('INVALID_INPUT', 'Only a live connection can be renewed.');
    const claims = await ctx.services.auth.authenticate(input.accessToken);
    if (!ctx.socket.renew(claims)) {
      throw new AppError('FORBIDDEN', 'This connection belongs to another session.');
    }
    return { expiresAt: new Date(claims.expiresAt).toISOString() };
  }),

  changePassword: protectedProcedure
    .input(ZChangePasswordInput)
    .mutation(({ ctx, input }) => ctx.services.auth.changePassword(ctx.auth, input)),

  logoutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.auth.logoutEverywhere(ctx.auth.userId);
    ctx.resHeaders?.append('set-cookie', clearedRefreshCookie({ isSecure: ctx.caller.isSecure }));
  }),

  sessions: router({
    list: protectedProcedure.query(({ ctx }) => ctx.services.auth.listSessions(ctx.auth)),
    revoke: protectedProcedure
      .input(ZRevokeSessionInput)
      .mutation(({ ctx, input }) => ctx.services.auth.revokeSession(ctx.auth.userId, input.sessionId)),
  }),
});
