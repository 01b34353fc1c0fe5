import { announcementsRouter } from '../modules/announcements/router.ts';
import { attachmentsRouter } from '../modules/attachments/router.ts';
import { authRouter } from '../modules/auth/router.ts';
import {
  conversationsRouter,
  eventsRouter,
  messagesRouter,
  receiptsRouter,
  savedRouter,
} from '../modules/conversations/router.ts';
import { presenceRouter } from '../modules/presence/router.ts';
import { systemRouter } from '../modules/system/router.ts';
import { usersRouter } from '../modules/users/router.ts';
import { router } from './init.ts';

// Each module's router.ts is its transport entry, read only here; its index.ts is the
// service side that app.ts and other modules use. Keeping them apart keeps
// module → tRPC → module imports from running in a circle.

export const appRouter = router({
  system: systemRouter,
  announcements: announcementsRouter,
  auth: authRouter,
  users: usersRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  attachments: attachmentsRouter,
  receipts: receiptsRouter,
  presence: presenceRouter,
  saved: savedRouter,
  events: eventsRouter,
});

/** The whole API's type: the SDK and the web client are typed from it. */
export type AppRouter = typeof appRouter;
