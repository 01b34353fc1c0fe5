import { ANNOUNCEMENT_MAX_LENGTH, type Announcement } from '@gopherchat/api';
import { createSignal, For, Show } from 'solid-js';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { createAnnouncementFeed, type FeedStatus } from './store.ts';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

const STATUS_LABEL: Record<FeedStatus, string> = {
  loading: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

function AnnouncementItem(props: { announcement: Announcement }) {
  return (
    <li class="flex gap-3 rounded-xl px-3 py-2.5 transition hover:bg-surface-sunken" data-testid="announcement">
      <span class="mt-0.5 h-8 w-8 flex shrink-0 items-center justify-center rounded-full bg-accent-soft text-xs font-semibold text-accent-fg">
        #{props.announcement.id}
      </span>
      <div class="min-w-0 flex-1">
        <p class="whitespace-pre-wrap break-words text-sm leading-relaxed">{props.announcement.text}</p>
        <time class="text-xs text-fg-muted" dateTime={props.announcement.createdAt}>
          {timeFormat.format(new Date(props.announcement.createdAt))}
        </time>
      </div>
    </li>
  );
}

/** Everyone reads the announcements; only `canPost` (server admins) get the form to post one. */
export function AnnouncementsPanel(props: { canPost: boolean }) {
  const feed = createAnnouncementFeed();
  const [draft, setDraft] = createSignal('');
  const submission = createSubmission(async () => {
    const error = await feed.post(draft());
    if (!error) setDraft('');
    return error;
  });

  return (
    <section class="card flex flex-col gap-4" aria-labelledby="announcements-title">
      <header class="flex items-center justify-between">
        <h2 id="announcements-title" class="card-title">
          Announcements
        </h2>
        <span
          class="inline-flex items-center gap-1.5 text-xs font-medium"
          classList={{
            'text-success': feed.status() === 'live',
            'text-warning': feed.status() !== 'live',
          }}
          data-testid="feed-status"
        >
          <span
            class="h-2 w-2 rounded-full"
            classList={{
              'bg-emerald-500 animate-pulse': feed.status() === 'live',
              'bg-amber-500': feed.status() !== 'live',
            }}
          />
          {STATUS_LABEL[feed.status()]}
        </span>
      </header>

      <Show when={props.canPost}>
        <form class="flex flex-col gap-2" onSubmit={submission.submit}>
          <label for="announcement-text" class="sr-only">
            New announcement
          </label>
          <textarea
            id="announcement-text"
            class="field min-h-20 resize-y"
            placeholder="Share something with everyone on this server…"
            maxLength={ANNOUNCEMENT_MAX_LENGTH * 2}
            value={draft()}
            onInput={submission.edit(setDraft)}
            onKeyDown={(event) => {
              // Enter posts, Shift+Enter adds a line, as in every chat app.
              if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) void submission.submit(event);
            }}
            aria-invalid={submission.error() ? 'true' : undefined}
            aria-describedby="announcement-hint announcement-error"
          />
          <div class="flex items-center justify-between gap-3">
            <span
              id="announcement-hint"
              class="text-xs"
              classList={{
                'text-danger': draft().trim().length > ANNOUNCEMENT_MAX_LENGTH,
                'text-fg-muted': draft().trim().length <= ANNOUNCEMENT_MAX_LENGTH,
              }}
            >
              {draft().trim().length}/{ANNOUNCEMENT_MAX_LENGTH} · Enter to post, Shift+Enter for a new line
            </span>
            <button type="submit" class="btn-primary" disabled={submission.isBusy()}>
              {submission.isBusy() ? 'Posting…' : 'Post'}
            </button>
          </div>
          <Show when={submission.error()}>
            {(message) => (
              <p id="announcement-error" role="alert" class="text-sm text-danger">
                {message()}
              </p>
            )}
          </Show>
        </form>
      </Show>

      <ErrorAlert message={feed.loadError()} />

      <ul class="-mx-2 flex flex-col" aria-live="polite" aria-label="Latest announcements">
        <For
          each={feed.announcements()}
          fallback={
            <li class="px-3 py-6 text-center text-sm text-fg-muted">
              {props.canPost ? 'Nothing announced yet. Be the first.' : 'Nothing announced yet.'}
            </li>
          }
        >
          {(announcement) => <AnnouncementItem announcement={announcement} />}
        </For>
      </ul>
    </section>
  );
}
