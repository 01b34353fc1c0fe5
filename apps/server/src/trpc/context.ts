import type { Logger } from 'pino';
import type { Lifecycle } from '../lifecycle.ts';
import type { AnnouncementService } from '../modules/announcements/index.ts';
import type { SystemService } from '../modules/system/index.ts';

/** Everything procedures reach through `ctx`; wired once in app.ts. */
export interface Services {
  announcements: AnnouncementService;
  system: SystemService;
}

export interface Context {
  requestId: string;
  logger: Logger;
  services: Services;
  lifecycle: Lifecycle;
}
