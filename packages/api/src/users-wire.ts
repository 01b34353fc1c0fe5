// What the users procedures send over the wire: types, free of zod.

/** How someone appears to the people they talk with. */
export interface UserProfile {
  id: string;
  username: string;
  displayName: string;
  /** Their profile picture, served at `/avatars/<avatarKey>` (see `avatarPath`); null: initials instead. */
  avatarKey: string | null;
  /** What they say they are up to, while it lasts; absent when they set none (or it expired). */
  status?: UserStatus;
}

/** A status someone set: "🌴 On holiday", until a time or until they clear it. */
export interface UserStatus {
  text: string;
  emoji: string | null;
  /** Null: until they clear it. */
  expiresAt: string | null;
}

/** A status as shown at `now`: none once it has expired. */
export const liveStatusOf = (status: UserStatus | null | undefined, now: number): UserStatus | undefined =>
  status && (status.expiresAt === null || Date.parse(status.expiresAt) > now) ? status : undefined;

/** Where a profile picture is served (by this server, to anyone who has its key: keys are random and new each time). */
export const avatarPath = (avatarKey: string) => `/avatars/${avatarKey}`;

/** What an avatar key looks like: a random UUID and the format, so a path names nothing else. */
export const AVATAR_KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.webp$/;
