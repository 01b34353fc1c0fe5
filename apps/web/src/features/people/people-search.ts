import type { UserProfile } from '@gopherchat/api';
import type { Scheduled } from '@solid-primitives/scheduled';

/** Shorter queries are not searched: they would match nearly everyone. */
const SEARCH_MIN_LENGTH = 1;

export interface PeopleSearchState {
  /** What was typed, trimmed; empty when there is nothing to search for. */
  query: string;
  /** The latest answer, kept while the next query is on its way so that the suggestions do not flicker. */
  people: UserProfile[];
  /** The latest query has not been answered yet. */
  isSearching: boolean;
  /** Why the latest query failed, in words. */
  error: string | undefined;
  /** The latest query has been answered (so an empty `people` means nobody matched). */
  isAnswered: boolean;
}

export const NO_SEARCH: PeopleSearchState = {
  query: '',
  people: [],
  isSearching: false,
  error: undefined,
  isAnswered: false,
};

export interface PeopleSearchDeps {
  search(query: string): Promise<UserProfile[]>;
  /**
   * Wraps `run` so that it runs once calls to it pause (typing does); `clear`
   * drops a call still waiting. `run` returns the search it started, settled
   * once its answer is shown (or dropped).
   */
  debounce<Args extends unknown[]>(run: (...args: Args) => Promise<void>): Scheduled<Args>;
  /** Puts a failed search in words. */
  describe(error: unknown): string;
  onChange(state: PeopleSearchState): void;
}

/**
 * Search as you type. Each keystroke is a new query; it is sent once typing
 * pauses, and only the latest query's answer is ever shown: answers arrive
 * in any order, and one to an older query is dropped.
 */
export function createPeopleSearch(deps: PeopleSearchDeps) {
  let state = NO_SEARCH;
  /** Numbers the queries: an answer is shown only if no query came after its own. */
  let latest = 0;
  const show = (next: PeopleSearchState) => {
    state = next;
    deps.onChange(state);
  };

  async function ask(query: string, ticket: number) {
    try {
      const people = await deps.search(query);
      if (ticket === latest) show({ query, people, isSearching: false, error: undefined, isAnswered: true });
    } catch (error) {
      if (ticket === latest)
        show({ query, people: [], isSearching: false, error: deps.describe(error), isAnswered: true });
    }
  }
  const askSoon = deps.debounce(ask);

  /** Everything searched so far is forgotten; answers still on their way are dropped. */
  function reset() {
    latest++;
    askSoon.clear();
    show(NO_SEARCH);
  }

  return {
    /** The text in the field changed. */
    type(text: string) {
      const query = text.trim();
      if (query.length < SEARCH_MIN_LENGTH) return reset();
      if (query === state.query && !state.error) return;
      const ticket = ++latest;
      show({ ...state, query, isSearching: true, error: undefined, isAnswered: false });
      askSoon(query, ticket);
    },
    reset,
  };
}

/** The suggestions worth showing: neither me nor anyone already picked or already there. */
export const pickable = (people: readonly UserProfile[], excludedIds: ReadonlySet<string>): UserProfile[] =>
  people.filter((person) => !excludedIds.has(person.id));

/**
 * The option made active by an arrow key in a list of `count`: Down from the
 * last wraps to the first and Up from the first to the last, as does Up with
 * none active yet. -1: no option.
 */
export function movedIndex(current: number, count: number, key: 'ArrowDown' | 'ArrowUp'): number {
  if (count === 0) return -1;
  if (key === 'ArrowDown') return current < 0 || current >= count - 1 ? 0 : current + 1;
  return current <= 0 || current >= count ? count - 1 : current - 1;
}
