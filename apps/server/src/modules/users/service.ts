import {
  liveStatusOf,
  STATUS_MAX_DAYS,
  type TSetStatusInput,
  type TUpdateProfileInput,
  USER_SEARCH_LIMIT,
  type UserEvent,
  type UserProfile,
} from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { AvatarPictures } from '../avatars/index.ts';
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
  /** Profile pictures: made from uploads, kept in the object store. */
  avatars: AvatarPictures;
}) {
  const { repo, profiles, avatars } = deps;

  /** Points the profile at `avatarKey` (null: none), and lets the picture it replaced go. */
  async function replaceAvatar(userId: string, avatarKey: string | null): Promise<UserProfile> {
    const changed = await repo.setAvatarKey(userId, avatarKey, new Date(deps.clock.now()));
    if (!changed) {
      await avatars.discard(avatarKey);
      throw new AppError('NOT_FOUND', 'Your account no longer exists.');
    }
    await avatars.discard(changed.replaced);
    return announce(changed.profile);
  }

  /** As shown now: a status that has expired is left out (it stays stored until replaced). */
  const current = (profile: UserProfile): UserProfile => {
    const { status, ...rest } = profile;
    const live = liveStatusOf(profile.status, deps.clock.now());
    return live ? { ...rest, status: live } : rest;
  };

  /** Tells everyone who sees `profile` (and its owner's other devices) that it changed. */
  async function announce(profile: UserProfile): Promise<UserProfile> {
    await profiles.forget(profile.id);
    const shown = current(profile);
    await deps.signal({
      conversationIds: await deps.conversationIdsOf(profile.id),
      // Their own other tabs and devices too.
      userIds: [profile.id],
      payload: JSON.stringify({ kind: 'profile', profile: shown } satisfies UserEvent),
      isDroppable: false,
    });
    return shown;
  }

  return {
    async find(username: string): Promise<UserProfile> {
      const user = await repo.profileByUsername(username);
      if (!user) throw new AppError('NOT_FOUND', `Nobody here is called “${username}”.`);
      return current(user);
    },

    search: async (query: string): Promise<UserProfile[]> => (await repo.search(query, USER_SEARCH_LIMIT)).map(current),

    profilesOf: async (ids: string[]): Promise<UserProfile[]> => (await profiles.profilesOf(ids)).map(current),

    async updateProfile(userId: string, input: TUpdateProfileInput): Promise<UserProfile> {
      const profile = await repo.updateDisplayName(userId, input.displayName, new Date(deps.clock.now()));
      if (!profile) throw new AppError('NOT_FOUND', 'Your account no longer exists.');
      return announce(profile);
    },

    /** Sets what others see I am up to, until `expiresAt` (or until cleared). */
    async setStatus(userId: string, input: TSetStatusInput): Promise<UserProfile> {
      const now = deps.clock.now();
      const expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt);
      if (expiresAt && expiresAt.getTime() <= now) {
        throw new AppError('INVALID_INPUT', 'That time has passed already. Pick a later one.');
      }
      if (expiresAt && expiresAt.getTime() > now + STATUS_MAX_DAYS * 24 * 60 * 60 * 1000) {
        throw new AppError('INVALID_INPUT', `A status can clear itself at most ${STATUS_MAX_DAYS} days ahead.`);
      }
      const profile = await repo.setStatus(userId, { text: input.text, emoji: input.emoji, expiresAt }, new Date(now));
      if (!profile) throw new AppError('NOT_FOUND', 'Your account no longer exists.');
      return announce(profile);
    },

    /** Makes the caller's uploaded image their profile picture: its centre square, 256 pixels, no metadata. */
    async setAvatar(userId: string, attachmentId: string): Promise<UserProfile> {
      const avatarKey = await avatars.make(userId, attachmentId);
      return replaceAvatar(userId, avatarKey);
    },

    removeAvatar: (userId: string): Promise<UserProfile> => replaceAvatar(userId, null),

    async clearStatus(userId: string): Promise<UserProfile> {
      const profile = await repo.setStatus(userId, null, new Date(deps.clock.now()));
      if (!profile) throw new AppError('NOT_FOUND', 'Your account no longer exists.');
      return announce(profile);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
