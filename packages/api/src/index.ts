export * from './announcements.ts';
export * from './auth.ts';
export * from './auth-wire.ts';
export * from './conversations.ts';
export * from './conversations-wire.ts';
export * from './errors.ts';
export * from './limits.ts';
export * from './system.ts';
