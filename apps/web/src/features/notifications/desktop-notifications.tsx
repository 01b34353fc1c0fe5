import type { ConversationSummary } from '@gopherchat/api';
import { createEffect, createSignal, onCleanup, Show } from 'solid-js';
import { alertFor, createArrivalWatch } from './desktop-alerts.ts';

/** Put off with "Not now", on this browser. */
const PUT_OFF_KEY = 'gopherchat:desktop-notifications-put-off';

/**
 * Desktop notifications (the Notification API) while the app's tab is
 * hidden, for what calls for me: direct messages and mentions. One per
 * conversation (a newer replaces it); a click opens the message; reading the
 * conversation, here or elsewhere, closes it. Asked for only when the person
 * turns them on (`Offer`), never as the page loads.
 */
export function createDesktopNotifications(deps: {
  myId: string;
  conversations: () => readonly ConversationSummary[];
  senderName: (userId: string, summary: ConversationSummary) => string;
  open: (conversationId: string, seq: number) => void;
}) {
  const isSupported = typeof Notification !== 'undefined';
  const [permission, setPermission] = createSignal<NotificationPermission>(
    isSupported ? Notification.permission : 'denied',
  );
  const [isPutOff, setIsPutOff] = createSignal(localStorage.getItem(PUT_OFF_KEY) !== null);
  const watch = createArrivalWatch(deps.myId);
  const shown = new Map<string, Notification>();

  createEffect(() => {
    // Looked at whatever the tab's state, so that what arrived while it showed is not news once it is hidden.
    const arrived = watch(deps.conversations());
    if (permission() !== 'granted' || document.visibilityState !== 'hidden') return;
    for (const { message, summary } of arrived) {
      const alert = alertFor(message, summary, deps.senderName(message.senderId ?? '', summary));
      const notification = new Notification(alert.title, {
        body: alert.body,
        tag: alert.conversationId,
        icon: '/icons/icon-192.png',
      });
      notification.onclick = () => {
        window.focus();
        deps.open(alert.conversationId, alert.seq);
        notification.close();
      };
      shown.set(alert.conversationId, notification);
    }
  });
  // Read, here or on another device: its notification has nothing left to say.
  createEffect(() => {
    for (const summary of deps.conversations()) {
      const notification = shown.get(summary.id);
      if (notification && summary.unreadCount === 0) {
        notification.close();
        shown.delete(summary.id);
      }
    }
  });
  onCleanup(() => {
    for (const notification of shown.values()) notification.close();
  });

  /** The offer to turn them on: shown until they are on, refused, or put off. */
  function Offer() {
    return (
      <Show when={isSupported && permission() === 'default' && !isPutOff()}>
        <section
          class="flex flex-col gap-2 border-b border-line bg-accent-soft px-3 py-2 text-xs"
          aria-label="Desktop notifications"
        >
          <p>Get notified of direct messages and mentions while GopherChat is in the background.</p>
          <div class="flex justify-end gap-2">
            <button
              type="button"
              class="btn min-h-11 px-3 text-xs hover:bg-surface-sunken md:min-h-8"
              onClick={() => {
                localStorage.setItem(PUT_OFF_KEY, '1');
                setIsPutOff(true);
              }}
            >
              Not now
            </button>
            <button
              type="button"
              class="btn-primary min-h-11 px-3 text-xs md:min-h-8"
              onClick={() => void Notification.requestPermission().then(setPermission)}
            >
              Turn on
            </button>
          </div>
        </section>
      </Show>
    );
  }

  return { Offer };
}
