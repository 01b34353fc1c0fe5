import type { UserEvent, UserPresence } from '@gopherchat/api';
import { produce } from 'solid-js/store';
import type { ChatStateStore } from './chat-state.ts';

type PresenceEvent = Extract<UserEvent, { kind: 'presence' }>;

/**
 * Who is online, as far as this client can know. It knows only while its
 * live stream is up and the server is in contact with the other instances:
 * otherwise nobody is shown online or offline (unknown), rather than as
 * they were when contact was lost.
 */
export function createPresenceStore(deps: { store: ChatStateStore }) {
  const { setState } = deps.store;

  function replaceAll(users: readonly UserPresence[]) {
    setState(
      'presence',
      produce((presence) => {
        for (const userId of Object.keys(presence)) delete presence[userId];
        for (const user of users) presence[user.userId] = user;
      }),
    );
  }

  return {
    apply(event: PresenceEvent) {
      // isStale true: the server lost contact, so nothing shown holds; false: contact is back and `users` is everyone.
      if (event.isStale !== undefined) return replaceAll(event.isStale ? [] : event.users);
      // Replaced, not merged: a field absent from the newer report (away) must not survive from an older one.
      setState(
        'presence',
        produce((presence) => {
          for (const user of event.users) presence[user.userId] = user;
        }),
      );
    },
    /** The live connection is gone: unknown until the next greeting. */
    forget: () => replaceAll([]),
  };
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;
