import { describe, expect, it } from 'bun:test';
import type { UserProfile } from '@gopherchat/api';
import { createPeopleSearch, movedIndex, NO_SEARCH, type PeopleSearchState, pickable } from './people-search.ts';

const person = (username: string): UserProfile => ({
  id: `id-${username}`,
  username,
  displayName: username.toUpperCase(),
  avatarKey: null,
});

/** A search whose pauses in typing and whose answers come when the test says. */
function searchUnderTest() {
  const queries: string[] = [];
  const answers = new Map<string, { resolve: (people: UserProfile[]) => void; reject: (error: Error) => void }>();
  /** Each search started, by query: settled once the search has shown (or dropped) its answer. */
  const searches = new Map<string, Promise<void>>();
  const states: PeopleSearchState[] = [];
  let waiting: (() => void) | undefined;
  const search = createPeopleSearch({
    search: (query) => {
      queries.push(query);
      return new Promise((resolve, reject) => answers.set(query, { resolve, reject }));
    },
    debounce: (run) =>
      Object.assign(
        (...args: Parameters<typeof run>) => {
          waiting = () => searches.set(String(args[0]), run(...args));
        },
        {
          clear: () => {
            waiting = undefined;
          },
        },
      ),
    describe: (error) => `Could not search: ${(error as Error).message}`,
    onChange: (state) => states.push(state),
  });
  return {
    search,
    queries,
    latest: () => states.at(-1) ?? NO_SEARCH,
    pause() {
      const run = waiting;
      waiting = undefined;
      run?.();
    },
    /** Answers the search for `query`; resolves once the search has handled the answer. */
    async answer(query: string, people: UserProfile[]) {
      answers.get(query)?.resolve(people);
      await searches.get(query);
    },
    async fail(query: string) {
      answers.get(query)?.reject(new Error('offline'));
      await searches.get(query);
    },
  };
}

describe('PeopleSearch', () => {
  it('asks once typing pauses, for what was typed last', async () => {
    const t = searchUnderTest();
    t.search.type('b');
    t.search.type('bo');
    expect(t.latest()).toMatchObject({ query: 'bo', isSearching: true, isAnswered: false });
    expect(t.queries).toEqual([]);
    t.pause();
    expect(t.queries).toEqual(['bo']);
    await t.answer('bo', [person('bob')]);
    expect(t.latest()).toEqual({
      query: 'bo',
      people: [person('bob')],
      isSearching: false,
      error: undefined,
      isAnswered: true,
    });
  });

  it('shows only the latest query’s answer, whatever order the answers come in', async () => {
    const t = searchUnderTest();
    t.search.type('b');
    t.pause();
    t.search.type('bo');
    t.pause();
    await t.answer('bo', [person('bob')]);
    await t.answer('b', [person('bea'), person('bob')]);
    expect(t.latest()).toMatchObject({ query: 'bo', people: [person('bob')], isSearching: false });
  });

  it('keeps the previous answer on show while the next query is on its way', async () => {
    const t = searchUnderTest();
    t.search.type('b');
    t.pause();
    await t.answer('b', [person('bea'), person('bob')]);
    t.search.type('bo');
    expect(t.latest()).toMatchObject({ query: 'bo', people: [person('bea'), person('bob')], isSearching: true });
  });

  it('ignores queries under one character, and drops what was on its way', async () => {
    const t = searchUnderTest();
    t.search.type('b');
    t.pause();
    t.search.type('   ');
    expect(t.latest()).toEqual(NO_SEARCH);
    t.pause();
    await t.answer('b', [person('bob')]);
    expect(t.queries).toEqual(['b']);
    expect(t.latest()).toEqual(NO_SEARCH);
  });

  it('does not ask again when only spaces around the query changed', () => {
    const t = searchUnderTest();
    t.search.type('bo');
    t.pause();
    t.search.type('bo ');
    t.pause();
    expect(t.queries).toEqual(['bo']);
  });

  it('tells a failure in words, and asks again when the query is typed anew', async () => {
    const t = searchUnderTest();
    t.search.type('bo');
    t.pause();
    await t.fail('bo');
    expect(t.latest()).toMatchObject({ query: 'bo', people: [], error: 'Could not search: offline', isAnswered: true });
    t.search.type('bo');
    t.pause();
    expect(t.queries).toEqual(['bo', 'bo']);
  });

  it('forgets everything on reset', async () => {
    const t = searchUnderTest();
    t.search.type('bo');
    t.pause();
    t.search.reset();
    await t.answer('bo', [person('bob')]);
    expect(t.latest()).toEqual(NO_SEARCH);
  });
});

describe('pickable', () => {
  it('leaves out the people excluded (me, those picked, those already there)', () => {
    const people = [person('me'), person('bob'), person('cy')];
    expect(pickable(people, new Set(['id-me', 'id-cy']))).toEqual([person('bob')]);
  });
});

describe('movedIndex', () => {
  it('moves down and up, wrapping at both ends', () => {
    expect(movedIndex(-1, 3, 'ArrowDown')).toBe(0);
    expect(movedIndex(0, 3, 'ArrowDown')).toBe(1);
    expect(movedIndex(2, 3, 'ArrowDown')).toBe(0);
    expect(movedIndex(-1, 3, 'ArrowUp')).toBe(2);
    expect(movedIndex(0, 3, 'ArrowUp')).toBe(2);
    expect(movedIndex(2, 3, 'ArrowUp')).toBe(1);
  });

  it('goes nowhere in an empty list', () => {
    expect(movedIndex(-1, 0, 'ArrowDown')).toBe(-1);
    expect(movedIndex(-1, 0, 'ArrowUp')).toBe(-1);
  });

  it('recovers from an index past a list that shrank', () => {
    expect(movedIndex(5, 3, 'ArrowDown')).toBe(0);
    expect(movedIndex(5, 3, 'ArrowUp')).toBe(2);
  });
});
