import { describe, expect, it } from 'bun:test';
import type { AttachmentLinks } from '@gopherchat/api';
import { createManualClock, type ManualClock } from '../../testing/manual-clock.ts';
import {
  createLinkCache,
  LINK_BATCH_MS,
  LINK_MIN_RENEW_MS,
  LINK_RENEW_AHEAD_MS,
  LINK_RETRY_MS,
  type LinkEntry,
} from './link-cache.ts';

const LINK_LIFETIME_MS = 10 * 60_000;

/** The server's links procedure: files it knows, by id, and each request it was asked. */
function fakeServer(clock: ManualClock) {
  const server = {
    requests: [] as string[][],
    states: new Map<string, AttachmentLinks['state']>(),
    isDown: false,
    async fetchLinks(ids: string[]): Promise<AttachmentLinks[]> {
      server.requests.push(ids);
      if (server.isDown) throw new Error('offline');
      const version = server.requests.length;
      return ids.flatMap((id) => {
        const state = server.states.get(id);
        if (!state) return [];
        return [
          {
            id,
            state,
            placeholder: null,
            hasThumbnail: state === 'ready',
            url: `https://store.test/${id}?v=${version}`,
            downloadUrl: null,
            thumbnailUrl: state === 'ready' ? `https://store.test/${id}/thumb?v=${version}` : null,
            expiresAt: new Date(clock.now() + LINK_LIFETIME_MS).toISOString(),
          },
        ];
      });
    },
  };
  return server;
}

function cacheWith(files: Record<string, AttachmentLinks['state']>) {
  const clock = createManualClock();
  const server = fakeServer(clock);
  for (const [id, state] of Object.entries(files)) server.states.set(id, state);
  const seen = new Map<string, LinkEntry>();
  const cache = createLinkCache({
    fetchLinks: (ids) => server.fetchLinks(ids),
    now: clock.now,
    later: (ms, run) => void clock.setTimer(ms, run),
    onChange: (id, entry) => seen.set(id, entry),
  });
  return { clock, server, cache, seen };
}

describe('link cache', () => {
  it('asks for the files shown at the same moment in one request', async () => {
    const { clock, server, cache, seen } = cacheWith({ a: 'ready', b: 'ready', c: 'processing' });
    cache.watch('a');
    cache.watch('b');
    cache.watch('c');
    cache.watch('a');
    expect(server.requests).toEqual([]);
    await clock.advance(LINK_BATCH_MS);
    expect(server.requests).toEqual([['a', 'b', 'c']]);
    expect(seen.get('a')?.links?.url).toBe('https://store.test/a?v=1');
    expect(seen.get('c')?.links?.thumbnailUrl).toBeNull();
  });

  it('asks for many files in requests of at most 100', async () => {
    const { clock, server, cache } = cacheWith({});
    for (let index = 0; index < 230; index++) cache.watch(`file-${index}`);
    await clock.advance(LINK_BATCH_MS);
    expect(server.requests.map((ids) => ids.length)).toEqual([100, 100, 30]);
  });

  it('renews the links of a file still shown before they lapse, and not those of one no longer shown', async () => {
    const { clock, server, cache, seen } = cacheWith({ shown: 'ready', gone: 'ready' });
    cache.watch('shown');
    const unwatch = cache.watch('gone');
    await clock.advance(LINK_BATCH_MS);
    unwatch();
    await clock.advance(LINK_LIFETIME_MS - LINK_RENEW_AHEAD_MS - 1_000);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1_000 + LINK_BATCH_MS);
    expect(server.requests).toEqual([['shown', 'gone'], ['shown']]);
    expect(seen.get('shown')?.links?.url).toBe('https://store.test/shown?v=2');
  });

  it('asks again for a file shown again after its links lapsed, and not before', async () => {
    const { clock, server, cache } = cacheWith({ a: 'ready' });
    cache.watch('a')();
    await clock.advance(LINK_BATCH_MS);
    cache.watch('a')();
    await clock.advance(LINK_BATCH_MS);
    expect(server.requests).toHaveLength(1);
    await clock.advance(LINK_LIFETIME_MS);
    cache.watch('a');
    await clock.advance(LINK_BATCH_MS);
    expect(server.requests).toHaveLength(2);
  });

  it('asks again when a file’s processing moves on, even if the change raced a request', async () => {
    const { clock, server, cache, seen } = cacheWith({ a: 'processing' });
    cache.watch('a');
    // The request is under way when the file is processed: its answer is from before.
    const request = server.fetchLinks;
    server.fetchLinks = async (ids) => {
      const answer = await request(ids);
      server.states.set('a', 'ready');
      cache.statusChanged('a');
      return answer;
    };
    await clock.advance(LINK_BATCH_MS);
    server.fetchLinks = request;
    expect(seen.get('a')?.links?.state).toBe('processing');
    await clock.advance(LINK_BATCH_MS);
    expect(seen.get('a')?.links?.state).toBe('ready');
    expect(seen.get('a')?.links?.thumbnailUrl).toBe('https://store.test/a/thumb?v=2');
  });

  it('notes files the server leaves out, and asks about them again only when their status changes', async () => {
    const { clock, server, cache, seen } = cacheWith({});
    cache.watch('deleted');
    await clock.advance(LINK_BATCH_MS);
    expect(seen.get('deleted')).toEqual({ links: undefined, isMissing: true });
    await clock.advance(LINK_LIFETIME_MS * 3);
    expect(server.requests).toHaveLength(1);
    cache.statusChanged('deleted');
    await clock.advance(LINK_BATCH_MS);
    expect(server.requests).toHaveLength(2);
  });

  it('tries again a little later when the request fails, for the files still shown', async () => {
    const { clock, server, cache, seen } = cacheWith({ a: 'ready' });
    server.isDown = true;
    cache.watch('a');
    await clock.advance(LINK_BATCH_MS);
    expect(seen.get('a')).toBeUndefined();
    server.isDown = false;
    await clock.advance(LINK_RETRY_MS + LINK_BATCH_MS);
    expect(server.requests).toHaveLength(2);
    expect(seen.get('a')?.links?.url).toBe('https://store.test/a?v=2');
  });

  it('does not ask again and again when this browser’s clock is far ahead of the server’s', async () => {
    const { clock, server, cache } = cacheWith({ a: 'ready' });
    const request = server.fetchLinks;
    // Links that, by this browser's clock, lapsed an hour ago.
    server.fetchLinks = async (ids) =>
      (await request(ids)).map((links) => ({ ...links, expiresAt: new Date(clock.now() - 3_600_000).toISOString() }));
    cache.watch('a');
    // Asked after the batch delay; renewed no sooner than the minimum after that.
    await clock.advance(LINK_BATCH_MS + LINK_MIN_RENEW_MS - 1);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1 + LINK_BATCH_MS);
    expect(server.requests).toHaveLength(2);
  });
});
