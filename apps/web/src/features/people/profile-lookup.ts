import { USER_PROFILES_MAX, type UserProfile } from '@gopherchat/api';
import { createIdBatcher } from '../../lib/id-batcher.ts';

export interface ProfileLookupDeps {
  /** Asks the server for at most USER_PROFILES_MAX people; resolves to the profiles of those who exist. */
  load(ids: string[]): Promise<UserProfile[]>;
  /** Calls `flush` once the collecting window has passed; `flush` resolves once its calls were answered. */
  schedule(flush: () => Promise<void>): void;
  /** Hears the profiles each answer brings. */
  onFound(profiles: UserProfile[]): void;
}

/**
 * Finds the people behind ids that the screen shows but does not know (the
 * author of an old message, someone a note names). Ids wanted within one
 * window are asked for together, in calls of at most USER_PROFILES_MAX. An id
 * is never asked for while a call for it is in flight, nor once answered,
 * whether found or not (a deleted account stays unknown). A failed call's ids
 * are asked for again when next wanted.
 */
export function createProfileLookup(deps: ProfileLookupDeps) {
  const answered = new Set<string>();
  let isDisposed = false;
  const calls = createIdBatcher({
    max: USER_PROFILES_MAX,
    schedule: (flush) => deps.schedule(flush),
    run: ask,
  });

  async function ask(ids: string[]) {
    try {
      const profiles = await deps.load(ids);
      for (const id of ids) answered.add(id);
      if (!isDisposed) deps.onFound(profiles);
    } catch {
      // Nothing to show but the placeholder; the next `want` of these ids asks again.
    }
  }

  return {
    /** Asks for those of `ids` not answered or being asked for already, with the others wanted in this window. */
    want: (ids: Iterable<string>) => calls.add([...ids].filter((id) => !answered.has(id))),
    /** No more calls, and answers still on their way are not heard. */
    dispose() {
      isDisposed = true;
      calls.stop();
    },
  };
}

export type ProfileLookup = ReturnType<typeof createProfileLookup>;
