/** Usernames written as a list: separated by commas or spaces, each with or without its "@". */
export const parseUsernames = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((name) => name.replace(/^@/, ''))
    .filter(Boolean);
