import type { Message, UserProfile, UserStatus } from '@gopherchat/api';
import { batch, onCleanup, untrack } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { createProfileLookup } from './profile-lookup.ts';

/** Ids wanted within this long go to the server in one call (a page of history names many at once). */
const LOOKUP_WINDOW_MS = 10;

/** Everyone a message names: its sender and, for a note, who did what to whom. */
export function userIdsNamedIn(messages: readonly Message[]): Set<string> {
  const ids = new Set<string>();
  for (const { senderId, content, reactions } of messages) {
    if (senderId) ids.add(senderId);
    for (const reaction of reactions) for (const userId of reaction.userIds) ids.add(userId);
    if (content.type !== 'system') continue;
    const { event } = content;
    if ('by' in event) ids.add(event.by);
    if ('userId' in event) ids.add(event.userId);
  }
  return ids;
}

/**
 * Display names by user id, for people a conversation no longer lists (they
 * left, or were removed) and so never come with its members, and the
 * statuses people set. What the screen needs is `want`ed; the unknown ones
 * are looked up in batches.
 * Live profile edits are `learn`ed. Lives as long as its owner.
 */
export function createPeopleDirectory(deps: {
  /** Asks the server for at most USER_PROFILES_MAX people (see `createProfileLookup`). */
  load(ids: string[]): Promise<UserProfile[]>;
  /** The owner's timers (`createTimers`), cleared with it. */
  later(ms: number, run: () => unknown): void;
}) {
  const [names, setNames] = createStore<Record<string, string>>({});
  // Null: known to have none (absent: not known yet).
  const [statuses, setStatuses] = createStore<Record<string, UserStatus | null>>({});
  const [avatars, setAvatars] = createStore<Record<string, string | null>>({});

  function learn(profiles: readonly UserProfile[]) {
    batch(() => {
      setNames(
        produce((draft) => {
          for (const profile of profiles) draft[profile.id] = profile.displayName;
        }),
      );
      setStatuses(
        produce((draft) => {
          for (const profile of profiles) draft[profile.id] = profile.status ?? null;
        }),
      );
      setAvatars(
        produce((draft) => {
          for (const profile of profiles) draft[profile.id] = profile.avatarKey;
        }),
      );
    });
  }

  const lookup = createProfileLookup({
    load: deps.load,
    schedule: (flush) => deps.later(LOOKUP_WINDOW_MS, flush),
    onFound: learn,
  });
  onCleanup(() => lookup.dispose());

  return {
    /** Known names by user id (reactive). */
    names,
    /** Statuses as last learned, by user id (reactive); check `liveStatusOf` before showing one. */
    statuses,
    /** Profile pictures' keys, by user id (reactive; null: initials). */
    avatars,
    /** Looks up those of `ids` whose names are not known yet. Reading what is known does not track it. */
    want: (ids: Iterable<string>) => lookup.want(untrack(() => [...ids].filter((id) => names[id] === undefined))),
    learn,
  };
}

export type PeopleDirectory = ReturnType<typeof createPeopleDirectory>;
