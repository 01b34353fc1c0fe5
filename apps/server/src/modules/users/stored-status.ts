import type { UserStatus } from '@gopherchat/api';

/** A person's status as the users table keeps it. */
export interface StoredStatus {
  statusText: string | null;
  statusEmoji: string | null;
  statusExpiresAt: Date | null;
}

/** The `status` field of a profile (or of `Me`): present only when one is set. */
export const statusFieldOf = (row: StoredStatus): { status?: UserStatus } =>
  row.statusText === null
    ? {}
    : {
        status: {
          text: row.statusText,
          emoji: row.statusEmoji,
          expiresAt: row.statusExpiresAt?.toISOString() ?? null,
        },
      };
