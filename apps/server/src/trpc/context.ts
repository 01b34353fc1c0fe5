import type { Logger } from 'pino';
import type { AppError } from '../errors.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { AnnouncementService } from '../modules/announcements/index.ts';
import type { AttachmentService } from '../modules/attachments/index.ts';
import type { AuthService, VerifiedAccess } from '../modules/auth/index.ts';
import type { ConversationService } from '../modules/conversations/index.ts';
import type { PresenceService } from '../modules/presence/index.ts';
import type { SystemService } from '../modules/system/index.ts';
import type { UserService } from '../modules/users/index.ts';
import type { SocketControl } from './websocket.ts';

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
