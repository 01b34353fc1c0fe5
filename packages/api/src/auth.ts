import { z } from 'zod';
import { DISPLAY_NAME_MAX_LENGTH, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH } from './limits.ts';
import { EVERYONE_MENTIONS } from './mentions.ts';

/** Upper bound before any policy check, so a huge body costs nothing. */
const ANY_PASSWORD = z.string().max(1024, 'That password is far too long.');

export const ZUsername = z
  .string()
  .trim()
  .min(USERNAME_MIN_LENGTH, `Usernames have at least ${USERNAME_MIN_LENGTH} characters.`)
  .max(USERNAME_MAX_LENGTH, `Usernames have at most ${USERNAME_MAX_LENGTH} characters.`)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'Usernames use letters, digits, "_", "." and "-", and start with a letter or digit.',
  )
  // `@all` and `@here` mention everyone: no one can be either.
  .refine((name) => !(EVERYONE_MENTIONS as readonly string[]).includes(name.toLowerCase()), {
    message: 'That username is kept for mentioning everyone. Pick another.',
  });

export const ZEmail = z
  .string()
  .trim()
  .max(254, 'That email address is too long.')
  .email('Enter a valid email address.');

export const ZDisplayName = z
  .string()
  .trim()
  .min(1, 'Enter a display name.')
  .max(DISPLAY_NAME_MAX_LENGTH, `Display names have at most ${DISPLAY_NAME_MAX_LENGTH} characters.`);

export const ZRegisterInput = z.object({
  username: ZUsername,
  email: ZEmail,
  /** Defaults to the username. */
  displayName: ZDisplayName.optional(),
  password: ANY_PASSWORD,
});
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

export const ZLoginInput = z.object({
  /** Username or email. */
  login: z.string().trim().min(1, 'Enter your username or email.').max(254),
  password: ANY_PASSWORD.min(1, 'Enter your password.'),
});
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZChangePasswordInput = z.object({
  currentPassword: ANY_PASSWORD.min(1, 'Enter your current password.'),
  newPassword: ANY_PASSWORD,
});
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

export const ZRenewSocketInput = z.object({ accessToken: z.string().min(1).max(4096) });

export const ZRevokeSessionInput = z.object({ sessionId: z.uuid('Unknown session.') });
