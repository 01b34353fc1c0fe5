export * from './announcements.ts';
export * from './errors.ts';
export * from './system.ts';
