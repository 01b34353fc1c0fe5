export * from './announcements.ts';
export * from './errors.ts';
