import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE } from './limits.ts';

/**
 * The one password policy, shared by the server (which enforces it) and the
 * sign-up form (whose strength meter shows the same verdict live). Exported
 * from its own entry point: the dictionaries are large, so the web app loads
 * it only where a password is chosen.
 */
const zxcvbn = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
});

export interface PasswordAssessment {
  /** 0 (guessable in seconds) to 4 (very strong). */
  score: number;
  isAcceptable: boolean;
  /** Why it is refused, in words fit to show; undefined when acceptable. */
  problem: string | undefined;
  suggestions: string[];
}

/**
 * Judges a new password. `relatedInputs` (username, email, display name) make
 * passwords built from them count as weak.
 */
export function assessPassword(password: string, relatedInputs: readonly string[] = []): PasswordAssessment {
  const length = [...password].length; // characters, not UTF-16 units
  if (length < PASSWORD_MIN_LENGTH) {
    return {
      score: 0,
      isAcceptable: false,
      problem: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
      suggestions: [],
    };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return {
      score: 0,
      isAcceptable: false,
      problem: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
      suggestions: [],
    };
  }
  const inputs = relatedInputs
    .flatMap((input) => [input, ...input.split(/[@._+-]/)])
    .filter((part) => part.length >= 3);
  const result = zxcvbn.check(password, inputs);
  const suggestions = result.feedback.suggestions.filter(Boolean);
  if (result.score >= PASSWORD_MIN_SCORE)
    return { score: result.score, isAcceptable: true, problem: undefined, suggestions };
  const warning = result.feedback.warning ?? '';
  return {
    score: result.score,
    isAcceptable: false,
    problem: `This password is too easy to guess.${warning ? ` ${warning}` : ''}`,
    suggestions: suggestions.length > 0 ? suggestions : ['Add another word or two. Uncommon words are better.'],
  };
}
