import type { Announcement } from '@gopherchat/api';
import { subscribeLive, toAppError } from '@gopherchat/sdk';
import { createSignal, onCleanup, onMount } from 'solid-js';
import { gopher } from '../../lib/session.ts';
import { mergeAnnouncements } from './feed.ts';

export type FeedStatus = 'loading' | 'live' | 'reconnecting';

/**
 * The announcement feed: the latest page from a query, then the live stream
 * resumed right after the newest id of that page, so nothing falls between
 * the two.
 */
export function createAnnouncementFeed() {
  const [announcements, setAnnouncements] = createSignal<Announcement[]>([]);
  const [status, setStatus] = createSignal<FeedStatus>('loading');
  const [loadError, setLoadError] = createSignal<string>();
  let unsubscribe: (() => void) | undefined;
  let isDisposed = false;

  const merge = (incoming: Announcement[]) => setAnnouncements((current) => mergeAnnouncements(current, incoming));

  onMount(async () => {
    try {
      merge(await gopher.api.announcements.list.query({ limit: 20 }));
      setLoadError(undefined);
    } catch (error) {
      setLoadError(toAppError(error).userMessage);
    }
    if (isDisposed) return;
    const newest = announcements()[0]?.id;
    // An error that may pass resubscribes after the newest announcement delivered, with backoff.
    const subscription = subscribeLive(
      gopher.api.announcements.stream.subscribe,
      newest ? { lastEventId: newest } : undefined,
      {
        onStarted: () => setStatus('live'),
        onData: ({ data }) => merge([data]),
        onStateChange: (state) => {
          if (state.status === 'retrying') setStatus('reconnecting');
        },
        onConnectionStateChange: (state) => {
          if (state === 'connecting' && status() === 'live') setStatus('reconnecting');
        },
        // Only an error that will not pass (signed out, refused) ends the stream.
        onError: (error) => setLoadError(error.userMessage),
      },
    );
    unsubscribe = () => subscription.unsubscribe();
  });

  onCleanup(() => {
    isDisposed = true;
    unsubscribe?.();
  });

  /** Posts; resolves to a user-readable error message, or undefined on success. */
  async function post(text: string): Promise<string | undefined> {
    try {
      merge([await gopher.api.announcements.post.mutate({ text })]);
      return undefined;
    } catch (error) {
      return toAppError(error).userMessage;
    }
  }

  return { announcements, status, loadError, post };
}
