import type { Me } from '@gopherchat/api';
import { Show } from 'solid-js';
import { AnnouncementsPanel } from '../announcements/announcements-panel.tsx';
import { canPostAnnouncements } from '../announcements/feed.ts';
import { ServerStatus } from '../system/server-status.tsx';

/** The server's announcements, and for its admins the server's status and a way to post. A chunk of its own. */
export default function AnnouncementsPage(props: { user: Me }) {
  return (
    <div class="grid gap-6 lg:grid-cols-[280px_1fr]">
      <Show when={canPostAnnouncements(props.user)}>
        <ServerStatus />
      </Show>
      <AnnouncementsPanel canPost={canPostAnnouncements(props.user)} />
    </div>
  );
}
