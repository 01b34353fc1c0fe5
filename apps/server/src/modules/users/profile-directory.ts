import type { UserProfile } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { Cache } from '../../platform/cache/index.ts';
import { createReadThrough } from '../../platform/cache/read-through.ts';
import type { Metrics } from '../../platform/metrics/index.ts';
import type { UserRepo } from './repo.ts';

/**
 * Profiles by id, read through the shared cache: every client asks for the
 * names behind the ids in what it shows, and other modules check that the
 * people they are handed exist. A profile edit forgets the entry right after
 * it commits; the TTL is the safety net.
 */
export function createProfileDirectory(deps: {
  repo: UserRepo;
  cache: Cache;
  ttlMs: number;
  metrics: Metrics;
  logger: Logger;
}) {
  const profiles = createReadThrough<UserProfile>({
    ...deps,
    name: 'profile',
    encode: JSON.stringify,
    decode: (stored) => JSON.parse(stored) as UserProfile,
  });

  return {
    /** The profiles of those of `ids` who have an account, in the order asked. */
    async profilesOf(ids: string[]): Promise<UserProfile[]> {
      const unique = [...new Set(ids)];
      const found = await profiles.getMany(unique, async (missing) => {
        const rows = await deps.repo.profilesByIds(missing);
        return new Map(rows.map((row) => [row.id, row]));
      });
      return unique.flatMap((id) => found.get(id) ?? []);
    },

    forget: (id: string) => profiles.forget([id]),
  };
}

export type ProfileDirectory = ReturnType<typeof createProfileDirectory>;
