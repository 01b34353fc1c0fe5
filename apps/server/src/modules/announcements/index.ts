export { createAnnouncementFeed } from './feed.ts';
export { createAnnouncementRepo } from './repo.ts';
export { type AnnouncementService, createAnnouncementService } from './service.ts';
