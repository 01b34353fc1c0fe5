import { foldForMatching } from '../../lib/fold.ts';
import type { CompletionToken } from '../../lib/ui/token-completion.tsx';

/** An `@name` being typed: where it starts in the text, and what follows the `@` (perhaps nothing yet). */
export interface MentionToken extends CompletionToken {
  name: string;
}

/** Someone who can be mentioned in a conversation. */
export interface MentionCandidate {
  userId: string;
  username: string;
  displayName: string;
}

/** People offered at most. */
const SUGGESTIONS = 8;

/**
 * The `@name` just before the caret, if any: an `@` that starts a word (so
 * an email address is not taken for one), then a username's letters, or none
 * yet. The rules are `findMentions`'s.
 */
export function mentionBeforeCaret(text: string, caret: number): MentionToken | undefined {
  const found = /(?:^|[^\p{L}\p{N}_.@/-])(@([A-Za-z0-9][A-Za-z0-9_.-]*)?)$/u.exec(text.slice(0, caret));
  if (!found) return undefined;
  const [, token = '', name = ''] = found;
  return { start: caret - token.length, end: caret, name };
}

/**
 * The people whose username, or a word of whose name, begins with `typed`:
 * those whose username does first, then by name.
 */
export function mentionCandidates(people: readonly MentionCandidate[], typed: string): MentionCandidate[] {
  const wanted = foldForMatching(typed);
  const byUsername = (person: MentionCandidate) => foldForMatching(person.username).startsWith(wanted);
  const byName = (person: MentionCandidate) =>
    foldForMatching(person.displayName)
      .split(/\s+/)
      .some((word) => word.startsWith(wanted));
  const sorted = [...people].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return [...sorted.filter(byUsername), ...sorted.filter((person) => !byUsername(person) && byName(person))].slice(
    0,
    SUGGESTIONS,
  );
}
