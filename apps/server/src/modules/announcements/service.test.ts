import { describe, expect, it } from 'bun:test';
import type { Announcement, ServerRole } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import { type Clock, createManualClock } from '../../platform/clock/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import { testLogger } from '../../testing/logger.ts';
import type { AnnouncementFeed } from './feed.ts';
import { createAnnouncementService } from './service.ts';

const HOUR = 60 * 60 * 1000;

/** The RateLimiter port on a clock the test moves: `points` per key per fixed window. */
function manualClockLimiter(clock: Clock, points: number, windowMs: number): RateLimiter {
  const windows = new Map<string, { startedAt: number; used: number }>();
  return {
    async consume(key) {
      const now = clock.now();
      let window = windows.get(key);
      if (!window || now - window.startedAt >= windowMs) {
        window = { startedAt: now, used: 0 };
        windows.set(key, window);
      }
      if (window.used >= points) return { isAllowed: false, retryAfterMs: window.startedAt + windowMs - now };
      window.used++;
      return { isAllowed: true };
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

/** The service over an in-memory feed, role table and limiter: the policy alone. */
function setUp(options: { perHour: number; roles: Record<string, ServerRole> }) {
  const clock = createManualClock();
  const roles = new Map(Object.entries(options.roles));
  const published: Announcement[] = [];
  const feed = {
    publishAnnouncement: async ({ text }: { text: string }) => {
      const announcement = { id: String(published.length + 1), text, createdAt: new Date(clock.now()).toISOString() };
      published.push(announcement);
      return announcement;
    },
  } as Partial<AnnouncementFeed> as AnnouncementFeed;
  const service = createAnnouncementService({
    feed,
    roles: { roleOf: async (userId) => roles.get(userId) },
    postLimit: manualClockLimiter(clock, options.perHour, HOUR),
    logger: testLogger,
  });
  return { service, clock, roles, published };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('AnnouncementService', () => {
  it('refuses a member, and spends none of the admin budget on it', async () => {
    const { service, published } = setUp({ perHour: 1, roles: { ada: 'admin', bob: 'member' } });
    expect(await refusal(service.postAnnouncement('bob', { text: 'hi all' }))).toMatchObject({
      code: 'FORBIDDEN',
      userMessage: 'Only server admins can post announcements.',
    });
    expect((await refusal(service.postAnnouncement('gone', { text: 'hi all' }))).code).toBe('FORBIDDEN');
    await service.postAnnouncement('ada', { text: 'from ada' });
    expect(published.map((announcement) => announcement.text)).toEqual(['from ada']);
  });

  it('refuses an admin whose role was revoked since they signed in, at their next post', async () => {
    const { service, roles } = setUp({ perHour: 10, roles: { ada: 'admin' } });
    await service.postAnnouncement('ada', { text: 'before' });
    roles.set('ada', 'member');
    expect((await refusal(service.postAnnouncement('ada', { text: 'after' }))).code).toBe('FORBIDDEN');
  });

  it('lets an admin post the hourly budget, then refuses with when to retry until the hour is over', async () => {
    const { service, clock, published } = setUp({ perHour: 10, roles: { ada: 'admin' } });
    for (let index = 0; index < 10; index++) await service.postAnnouncement('ada', { text: `n${index}` });
    clock.advance(20 * 60 * 1000);
    expect(await refusal(service.postAnnouncement('ada', { text: 'eleventh' }))).toMatchObject({
      code: 'RATE_LIMITED',
      userMessage: 'You have posted as many announcements as allowed for now. Try again in 40 minutes.',
    });
    clock.advance(39 * 60 * 1000);
    expect(await refusal(service.postAnnouncement('ada', { text: 'still early' }))).toMatchObject({
      userMessage: 'You have posted as many announcements as allowed for now. Try again in 1 minute.',
    });
    clock.advance(60 * 1000);
    await service.postAnnouncement('ada', { text: 'next hour' });
    expect(published).toHaveLength(11);
  });

  it('counts each admin’s posts separately', async () => {
    const { service } = setUp({ perHour: 1, roles: { ada: 'admin', grace: 'admin' } });
    await service.postAnnouncement('ada', { text: 'one' });
    expect((await refusal(service.postAnnouncement('ada', { text: 'two' }))).code).toBe('RATE_LIMITED');
    await service.postAnnouncement('grace', { text: 'mine' });
  });
});
