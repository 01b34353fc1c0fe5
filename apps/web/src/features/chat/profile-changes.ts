import type { UserProfile } from '@gopherchat/api';
import { batch } from 'solid-js';
import { produce } from 'solid-js/store';
import type { PeopleDirectory } from '../people/directory.ts';
import type { ChatStateStore } from './chat-state.ts';

/** Someone's edited profile, everywhere their name shows: at once, with no fetch. */
export function createProfileChanges(deps: {
  store: ChatStateStore;
  people: Pick<PeopleDirectory, 'learn'>;
  myId: string;
  adoptMyProfile(profile: UserProfile): void;
}) {
  return function applyProfile(profile: UserProfile) {
    const { id, displayName, username } = profile;
    batch(() => {
      deps.people.learn([profile]);
      deps.store.setState(
        produce((draft) => {
          for (const summary of Object.values(draft.conversations)) {
            if (summary.peer?.userId !== id) continue;
            // A direct conversation is titled with the other person's name.
            summary.title = displayName;
            Object.assign(summary.peer, { displayName, username });
          }
          for (const timeline of Object.values(draft.timelines)) {
            const member = timeline.members[id];
            if (member) Object.assign(member, { displayName, username });
            if (id in timeline.names) timeline.names[id] = displayName;
          }
        }),
      );
      if (id === deps.myId) deps.adoptMyProfile(profile);
    });
  };
}
