import { type TUpdateProfileInput, USER_SEARCH_LIMIT, type UserEvent, type UserProfile } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { LiveSignal } from '../conversations/index.ts';
import type { ProfileDirectory } from './profile-directory.ts';
import type { UserRepo } from './repo.ts';

/**
 * Finding people and showing them: lookups by username, search as you type,
 * profiles by id (cached), and profile edits, which the people who share a
 * conversation with the editor see live.
 */
export function createUserService(deps: {
  repo: UserRepo;
  profiles: ProfileDirectory;
  /** The conversations whose members see this person's profile. */
  conversationIdsOf: (userId: string) => Promise<string[]>;
  signal: (signal: LiveSignal) => Promise<void>;
  clock: Clock;
}) {
  const { repo, profiles } = deps;

  return {
    async find(username: string): Promise<UserProfile> {
      const user = await repo.profileByUsername(username);
      if (!user) throw new AppError('NOT_FOUND', `Nobody here is called “${username}”.`);
      return user;
    },

    search: (query: string): Promise<UserProfile[]> => repo.search(query, USER_SEARCH_LIMIT),

    profilesOf: (ids: string[]): Promise<UserProfile[]> => profiles.profilesOf(ids),

    async updateProfile(userId: string, input: TUpdateProfileInput): Promise<UserProfile> {
      const profile = await repo.updateDisplayName(userId, input.displayName, new Date(deps.clock.now()));
      if (!profile) throw new AppError('NOT_FOUND', 'Your account no longer exists.');
      await profiles.forget(userId);
      await deps.signal({
        conversationIds: await deps.conversationIdsOf(userId),
        // Their own other tabs and devices too.
        userIds: [userId],
        payload: JSON.stringify({ kind: 'profile', profile } satisfies UserEvent),
        isDroppable: false,
      });
      return profile;
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
