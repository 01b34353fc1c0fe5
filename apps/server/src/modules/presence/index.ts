export { createPresenceService, type PresenceDirectory, type PresenceService } from './service.ts';
