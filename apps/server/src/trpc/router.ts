import { announcementsRouter } from '../modules/announcements/index.ts';
import { attachmentsRouter } from '../modules/attachments/index.ts';
import { authRouter } from '../modules/auth/index.ts';
import { conversationsRouter, eventsRouter, messagesRouter, receiptsRouter } from '../modules/conversations/index.ts';
import { systemRouter } from '../modules/system/index.ts';
import { usersRouter } from '../modules/users/index.ts';
import { router } from './init.ts';

export const appRouter = router({
  system: systemRouter,
  announcements: announcementsRouter,
  auth: authRouter,
  users: usersRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  attachments: attachmentsRouter,
  receipts: receiptsRouter,
  events: eventsRouter,
});

/** The whole API's type: the SDK and the web client are typed from it. */
export type AppRouter = typeof appRouter;
