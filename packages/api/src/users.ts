import { z } from 'zod';
import { ZDisplayName } from './auth.ts';
import { ZEmoji, ZId } from './conversations.ts';
import { STATUS_TEXT_MAX_LENGTH, USER_PROFILES_MAX } from './limits.ts';

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

/** A status to show until `expiresAt` (checked against the server's clock: in the future, within STATUS_MAX_DAYS). */
export const ZSetStatusInput = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'Write a status, or clear it.')
    .max(STATUS_TEXT_MAX_LENGTH, `A status has at most ${STATUS_TEXT_MAX_LENGTH} characters.`),
  emoji: ZEmoji.nullable(),
  expiresAt: z.iso.datetime({ offset: true, message: 'That time is not valid.' }).nullable(),
});
export type TSetStatusInput = z.infer<typeof ZSetStatusInput>;

/** The person has left this device idle, or is back (sent over the socket whose subscription it concerns). */
export const ZSetIdleInput = z.object({ isIdle: z.boolean() });

/** Makes the uploader's confirmed image (an upload not sent anywhere) their profile picture. */
export const ZSetAvatarInput = z.object({ attachmentId: ZId });
