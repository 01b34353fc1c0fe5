// Kept free of zod: the web app applies its own reactions with these before the server answers.

import type { Reaction } from './conversations-wire.ts';

const VARIATION_SELECTOR_16 = '\uFE0F';
/** Typed as plain strings: the compiler checks regular expressions against ES2023, which lacks the `v` flag. */
const RGI_EMOJI_SOURCE: string = '^\\p{RGI_Emoji}$';
const UNICODE_SETS: string = 'v';
let rgiEmoji: RegExp | undefined;

/**
 * Whether `text` is one recommended-for-general-interchange emoji (Unicode's
 * RGI set: what platforms draw as one picture), which is what a reaction may
 * be. Built on first use with the `v` flag (Chromium 112, Safari 17, Firefox
 * 116, Bun): an older browser fails here, when it reacts, not on loading
 * the app; the server, which decides, always has it.
 */
function isRgiEmoji(text: string): boolean {
  rgiEmoji ??= new RegExp(RGI_EMOJI_SOURCE, UNICODE_SETS);
  return rgiEmoji.test(text);
}

/**
 * The one spelling of an emoji that reactions are stored and compared by,
 * or null when `text` is not one emoji. Emoji arrive with and without the
 * emoji variation selector (pickers write "👍️", keyboards "👍"; "❤" needs it
 * to be drawn as an emoji at all): the RGI spelling is whichever of these
 * Unicode lists, so the same emoji never counts as two.
 */
export function normalizeEmoji(text: string): string | null {
  if (isRgiEmoji(text)) return text;
  const bare = text.replaceAll(VARIATION_SELECTOR_16, '');
  if (isRgiEmoji(bare)) return bare;
  const [first = '', ...rest] = bare;
  const presented = first + VARIATION_SELECTOR_16 + rest.join('');
  return isRgiEmoji(presented) ? presented : null;
}

/** `reactions` with `userId`'s `emoji` added, last if new; the same array when it is already there. */
export function withReaction(reactions: readonly Reaction[], emoji: string, userId: string): readonly Reaction[] {
  const found = reactions.find((reaction) => reaction.emoji === emoji);
  if (found?.userIds.includes(userId)) return reactions;
  if (!found) return [...reactions, { emoji, userIds: [userId] }];
  return reactions.map((reaction) =>
    reaction === found ? { emoji, userIds: [...reaction.userIds, userId] } : reaction,
  );
}

/** `reactions` without `userId`'s `emoji` (an emoji nobody has left goes); the same array when it was not there. */
export function withoutReaction(reactions: readonly Reaction[], emoji: string, userId: string): readonly Reaction[] {
  const found = reactions.find((reaction) => reaction.emoji === emoji);
  if (!found?.userIds.includes(userId)) return reactions;
  const userIds = found.userIds.filter((id) => id !== userId);
  return userIds.length === 0
    ? reactions.filter((reaction) => reaction !== found)
    : reactions.map((reaction) => (reaction === found ? { emoji, userIds } : reaction));
}
