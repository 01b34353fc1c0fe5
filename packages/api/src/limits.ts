// Kept free of zod so the web bundle can import limits without the validator.

/** Longest announcement text, in characters (after trimming). */
export const ANNOUNCEMENT_MAX_LENGTH = 500;
