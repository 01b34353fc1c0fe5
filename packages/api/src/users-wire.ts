// What the users procedures send over the wire: types, free of zod.

/** How someone appears to the people they talk with. */
export interface UserProfile {
  id: string;
  username: string;
  displayName: string;
  avatarKey: string | null;
}
