import { USER_PROFILES_MAX, type UserProfile } from '@gopherchat/api';

export interface ProfileLookupDeps {
  /** Asks the server for at most USER_PROFILES_MAX people; resolves to the profiles of those who exist. */
  load(ids: string[]): Promise<UserProfile[]>;
  /** Calls `flush` once the collecting window has passed. */
  schedule(flush: () => void): void;
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
  const waiting = new Set<string>();
  const asking = new Set<string>();
  const answered = new Set<string>();
  let isScheduled = false;
  let isDisposed = false;

  function want(ids: Iterable<string>) {
    for (const id of ids) {
      if (!asking.has(id) && !answered.has(id)) waiting.add(id);
    }
    if (waiting.size === 0 || isScheduled || isDisposed) return;
    isScheduled = true;
    deps.schedule(flush);
  }

  function flush() {
    isScheduled = false;
    if (isDisposed) return;
    const ids = [...waiting];
    waiting.clear();
    for (let start = 0; start < ids.length; start += USER_PROFILES_MAX) {
      void ask(ids.slice(start, start + USER_PROFILES_MAX));
    }
  }

  async function ask(ids: string[]) {
    for (const id of ids) asking.add(id);
    try {
      const profiles = await deps.load(ids);
      for (const id of ids) answered.add(id);
      if (!isDisposed) deps.onFound(profiles);
    } catch {
      // Nothing to show but the placeholder; the next `want` of these ids asks again.
    } finally {
      for (const id of ids) asking.delete(id);
    }
  }

  return {
    /** Asks for those of `ids` not answered or being asked for already, with the others wanted in this window. */
    want,
    /** No more calls, and answers still on their way are not heard. */
    dispose() {
      isDisposed = true;
      waiting.clear();
    },
  };
}

export type ProfileLookup = ReturnType<typeof createProfileLookup>;
