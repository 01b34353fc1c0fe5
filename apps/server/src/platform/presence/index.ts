export { createMemoryPresence } from './memory-presence.ts';
export type { ConnectionRef, Presence, PresenceStatus } from './presence.ts';
export { createRedisPresence } from './redis-presence.ts';
