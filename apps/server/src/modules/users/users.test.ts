import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { USER_PROFILES_MAX } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { sql } from 'drizzle-orm';
import { signedInClient } from '../../testing/accounts.ts';
import { eventually } from '../../testing/collect.ts';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { cacheLookups } from '../../testing/metrics.ts';
import { allEventsOf, backends, eventsOfKind, person } from '../../testing/people.ts';
import { nodesOf, planOf } from '../../testing/query-plan.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { searchQuery } from './repo.ts';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123';

describe.each(backends)('users over $name', ({ database, bus }) => {
  const start = (shared?: TestServer) =>
    startTestServer({
      label: 'users',
      database,
      bus,
      env: { METRICS_TOKEN },
      shared: shared && { databaseUrl: shared.databaseUrl, redisKeyPrefix: shared.redisKeyPrefix },
    });

  async function named(t: TestServer, username: string, displayName: string) {
    const client = await t.signUp(username);
    await client.api.users.updateProfile.mutate({ displayName });
  }

  it('finds people by the beginning of their username or display name, in any case, exact usernames first', async () => {
    await using t = await start();
    const searcher = await person(t);
    await named(t, 'adamant', 'Zed');
    await named(t, 'ada', 'Countess');
    await named(t, 'bob', 'Ada Lovelace');
    await named(t, 'carol', 'Carol');

    const found = await searcher.api.users.search.query({ query: 'ADA' });
    expect(found.map((user) => user.username)).toEqual(['ada', 'bob', 'adamant']);
    expect(await searcher.api.users.search.query({ query: 'lovelace' })).toEqual([]);
  });

  it('takes % and _ in a search literally', async () => {
    await using t = await start();
    const searcher = await person(t);
    await named(t, 'under_score', 'U');
    await named(t, 'underwood', 'W');
    expect((await searcher.api.users.search.query({ query: '%' })).map((user) => user.username)).toEqual([]);
    expect((await searcher.api.users.search.query({ query: 'under_' })).map((user) => user.username)).toEqual([
      'under_score',
    ]);
  });

  it('refuses an empty search and an oversized profile request with a clear error', async () => {
    await using t = await start();
    const searcher = await person(t);
    const empty = await searcher.api.users.search.query({ query: '  ' }).catch(toAppError);
    expect(empty).toMatchObject({ appCode: 'INVALID_INPUT' });
    const ids = Array.from({ length: USER_PROFILES_MAX + 1 }, () => crypto.randomUUID());
    const tooMany = await searcher.api.users.profiles.query({ ids }).catch(toAppError);
    expect(tooMany).toMatchObject({ appCode: 'INVALID_INPUT' });
  });

  it('returns the profiles asked for, in order, leaving out ids nobody has, and caches them', async () => {
    await using t = await start();
    const [ada, bob, carol] = [await person(t), await person(t), await person(t)];
    const nobody = crypto.randomUUID();
    const ask = () => ada.api.users.profiles.query({ ids: [carol.id, nobody, bob.id, carol.id] });

    const before = await cacheLookups(t.url, METRICS_TOKEN, 'profile');
    const first = await ask();
    expect(first.map((profile) => profile.username)).toEqual([carol.username, bob.username]);
    expect(await ask()).toEqual(first);
    const after = await cacheLookups(t.url, METRICS_TOKEN, 'profile');
    // Asked twice for three distinct ids: the first time all miss, the second only the unknown id does.
    expect(after.misses - before.misses).toBe(4);
    expect(after.hits - before.hits).toBe(2);
  });

  it('shows a profile edit at once despite the cache (on every instance, over Redis), and tells the people who share a conversation live', async () => {
    await using first = await start();
    // Instances share a database and cache only over the real services.
    await using another = bus === 'redis' ? await start(first) : undefined;
    const second = another ?? first;
    const [ada, bob, stranger] = [await person(first), await person(first), await person(first)];
    await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    await using bobOnSecond = signedInClient(second.url, bob.accessToken);
    await using strangerOnSecond = signedInClient(second.url, stranger.accessToken);
    // Cached on the second instance before the edit.
    expect((await bobOnSecond.api.users.profiles.query({ ids: [ada.id] }))[0]?.displayName).toBe(ada.username);

    using bobEvents = allEventsOf(bobOnSecond);
    using strangerEvents = allEventsOf(strangerOnSecond);
    using adaEvents = allEventsOf(ada);
    await Promise.all([bobEvents.started, strangerEvents.started, adaEvents.started]);

    const updated = await ada.api.users.updateProfile.mutate({ displayName: '  Ada Lovelace ' });
    expect(updated).toMatchObject({ id: ada.id, displayName: 'Ada Lovelace' });
    expect((await bobOnSecond.api.users.profiles.query({ ids: [ada.id] }))[0]?.displayName).toBe('Ada Lovelace');

    await eventually(() => eventsOfKind(bobEvents.events, 'profile').length === 1, 'the edit, to Bob');
    expect(eventsOfKind(bobEvents.events, 'profile')[0]?.profile).toEqual(updated);
    // Ada's own other tabs hear it too; someone who shares nothing with her does not.
    await eventually(() => eventsOfKind(adaEvents.events, 'profile').length === 1, 'the edit, to Ada');
    expect(eventsOfKind(strangerEvents.events, 'profile')).toEqual([]);
    expect((await ada.api.auth.me.query()).displayName).toBe('Ada Lovelace');
  });

  it('refuses an empty display name', async () => {
    await using t = await start();
    const ada = await person(t);
    const refused = await ada.api.users.updateProfile.mutate({ displayName: '   ' }).catch(toAppError);
    expect(refused).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect((await ada.api.auth.me.query()).displayName).toBe(ada.username);
  });
});

/** Search as you type on a table large enough that a scan of it would show. */
describe('user search on a table of 100,000 people', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;

  beforeAll(async () => {
    database = await openMigratedTestDatabase('user-search-plan');
    await database.db.execute(sql`
      insert into users (id, username, email, display_name)
      select gen_random_uuid(), 'user' || n, 'user' || n || '@example.com', 'Person ' || n
      from generate_series(1, 100000) n`);
    await database.db.execute(sql`analyze users`);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  it('reads both name indexes, never the whole table', async () => {
    const nodes = nodesOf(await planOf(database.db, searchQuery(database.db, 'user1234', 10)));
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(nodes.map((node) => node['Index Name']).filter(Boolean)).toEqual(
      expect.arrayContaining(['users_username_prefix_idx', 'users_display_name_prefix_idx']),
    );
  });

  it('finds the matches', async () => {
    const found = await searchQuery(database.db, 'USER1234', 10);
    expect(found[0]?.username).toBe('user1234');
    expect(found.length).toBe(10);
    expect(found.every((user) => user.username.startsWith('user1234'))).toBe(true);
  });
});
