import { z } from 'zod';
import { ZDisplayName } from './auth.ts';
import { ZId } from './conversations.ts';
import { USER_PROFILES_MAX } from './limits.ts';

export const ZFindUserInput = z.object({ username: z.string().trim().min(1).max(64) });

export const ZSearchUsersInput = z.object({
  /** The beginning of a username or display name, any case. */
  query: z.string().trim().min(1, 'Type a few letters of a name.').max(64),
});

export const ZUserProfilesInput = z.object({
  ids: z.array(ZId).min(1).max(USER_PROFILES_MAX, `Ask for at most ${USER_PROFILES_MAX} people at once.`),
});

export const ZUpdateProfileInput = z.object({ displayName: ZDisplayName });
export type TUpdateProfileInput = z.infer<typeof ZUpdateProfileInput>;
