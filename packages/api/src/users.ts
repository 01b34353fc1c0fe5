import { z } from 'zod';
import { ZDisplayName } from './auth.ts';
import { ZId } from './conversations.ts';

/** Profiles asked for in one call, e.g. the authors of a page of history. */
export const USER_PROFILES_MAX = 100;
/** People suggested per keystroke of a search. */
export const USER_SEARCH_LIMIT = 10;

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
