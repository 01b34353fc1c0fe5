import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { AnnouncementService } from '../modules/announcements/index.ts';
import type { AttachmentService } from '../modules/attachments/index.ts';
import type { AuthService, VerifiedAccess } from '../modules/auth/index.ts';
import type { ConversationService } from '../modules/conversations/index.ts';
import type { PresenceService } from '../modules/presence/index.ts';
import type { SystemService } from '../modules/system/index.ts';
import type { UserService } from '../modules/users/index.ts';
import { clientIpOf, isAllowedOrigin, isPlainHttpLoopback } from '../origin.ts';
import type { SocketControl, WebSocketContextInput } from './websocket.ts';

/** Everything procedures reach through `ctx`; wired once in app.ts. */
export interface Services {
  announcements: AnnouncementService;
  attachments: AttachmentService;
  auth: AuthService;
  conversations: ConversationService;
  presence: PresenceService;
  system: SystemService;
  users: UserService;
}

/** Who is on the other end of the request, as far as the transport can tell. */
export interface Caller {
  ip: string | null;
  userAgent: string | null;
  /** False for a browser request from a foreign origin. */
  isSameOrigin: boolean;
  /** Whether cookies must be `Secure` (everything but plain HTTP on loopback). */
  isSecure: boolean;
}

export interface Context {
  requestId: string;
  logger: Logger;
  services: Services;
  lifecycle: Lifecycle;
  /** How long a query or mutation may take before it is answered UNAVAILABLE. */
  requestDeadlineMs: number;
  caller: Caller;
  /** The verified access-token claims, or null when signed out. */
  readonly auth: VerifiedAccess | null;
  /** Why `auth` is null although credentials were presented (expired, revoked, forged). */
  readonly authError: AppError | null;
  /** HTTP only: the response's headers, for cookies. */
  resHeaders: Headers | null;
  /** WebSocket only: renews the socket's authentication, and gives subscriptions their channel. */
  socket: SocketControl | null;
}

/** The token of an `Authorization: Bearer …` header. */
function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer ([\w.~+/-]+=*)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Makes each HTTP request's and each WebSocket connection's context,
 * verifying the credentials presented once: per request, or per connection.
 */
export function createContextFactory(deps: {
  services: Services;
  lifecycle: Lifecycle;
  requestDeadlineMs: number;
  allowedOrigins: readonly string[];
  /** Whether X-Forwarded-For names the client (behind a proxy we run). */
  trustProxy: boolean;
  logger: Logger;
}) {
  const { services, logger } = deps;
  const allowedOrigins = new Set(deps.allowedOrigins);
  const clientIp = (request: Request) => clientIpOf(request, deps.trustProxy);
  const callerOf = (request: Request): Caller => ({
    ip: clientIp(request),
    userAgent: request.headers.get('user-agent'),
    isSameOrigin: isAllowedOrigin(request, allowedOrigins) !== false,
    isSecure: !isPlainHttpLoopback(request),
  });

  async function contextFor(input: {
    requestId: string;
    request: Request;
    accessToken: string | null;
    resHeaders: Headers | null;
    socket: SocketControl | null;
  }): Promise<Context> {
    let claims: VerifiedAccess | null = null;
    let authError: AppError | null = null;
    if (input.accessToken) {
      try {
        claims = await services.auth.authenticate(input.accessToken);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        authError = error;
      }
    }
    return {
      requestId: input.requestId,
      logger: logger.child({ requestId: input.requestId, userId: claims?.userId }),
      services,
      lifecycle: deps.lifecycle,
      requestDeadlineMs: deps.requestDeadlineMs,
      caller: callerOf(input.request),
      auth: claims,
      authError,
      resHeaders: input.resHeaders,
      socket: input.socket,
    };
  }

  return {
    clientIp,
    forHttp: ({ requestId, request, resHeaders }: { requestId: string; request: Request; resHeaders: Headers }) =>
      contextFor({ requestId, request, accessToken: bearerToken(request), resHeaders, socket: null }),
    forSocket: ({ requestId, request, connectionParams, socket }: WebSocketContextInput) =>
      contextFor({ requestId, request, accessToken: connectionParams?.accessToken ?? null, resHeaders: null, socket }),
  };
}
