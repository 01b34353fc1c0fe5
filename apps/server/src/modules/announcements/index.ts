export { createAnnouncementFeed } from './feed.ts';
export { createAnnouncementRepo } from './repo.ts';
export { announcementsRouter } from './router.ts';
export { type AnnouncementService, createAnnouncementService } from './service.ts';
