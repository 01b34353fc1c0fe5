// What the users procedures send over the wire: types, free of zod.

/** How someone appears to the people they talk with. */
export interface UserProfile {
  id: string;
  username: string;
  displayName: string;
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

/** The status as shown at `now`: none once it has expired. */
export const liveStatusOf = (profile: { status?: UserStatus }, now: number): UserStatus | undefined =>
  profile.status && (profile.status.expiresAt === null || Date.parse(profile.status.expiresAt) > now)
    ? profile.status
    : undefined;
