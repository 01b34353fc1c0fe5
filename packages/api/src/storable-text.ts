// Kept free of zod: the server checks raw inputs with it before any schema, and the web app may too.

/** Why a string cannot be stored as PostgreSQL text, in words a person can act on. */
export type UnstorableReason = 'nul' | 'unpaired-surrogate';

export interface UnstorableText {
  /** Where in the input, e.g. `content.text` or `0.title`; empty for the input itself. */
  path: string;
  reason: UnstorableReason;
}

/** Levels of arrays and objects walked at most; deeper inputs are refused by the transports first. */
const MAX_DEPTH = 64;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableReasonOf(text: string): UnstorableReason | undefined {
  if (text.includes('\u0000')) return 'nul';
  if (UNPAIRED_SURROGATE.test(text)) return 'unpaired-surrogate';
  return undefined;
}

/**
 * `text` cut to `maxLength` whole characters (never half a surrogate pair)
 * and made storable: NUL removed, unpaired surrogates replaced by U+FFFD.
 * For text the server takes from elsewhere (a sign-in provider's profile),
 * which it cannot send back to be fixed.
 */
export function toStorableText(text: string, maxLength: number): string {
  return [...text.replaceAll('\u0000', '')]
    .slice(0, maxLength)
    .map((char) => (UNPAIRED_SURROGATE.test(char) ? '\ufffd' : char))
    .join('');
}

/**
 * The first string in `input` (keys included) that PostgreSQL cannot store:
 * text with a NUL character, which PostgreSQL refuses (and with it the whole
 * transaction: every send batched with it), or with an unpaired UTF-16
 * surrogate, which no UTF-8 encoding can hold (drivers replace or refuse it).
 * Walks without recursion, so no input can exhaust the stack.
 */
export function findUnstorableText(input: unknown): UnstorableText | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      const reason = unstorableReasonOf(value);
      if (reason) return { path, reason };
    } else if (typeof value === 'object' && value !== null && depth < MAX_DEPTH) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        const keyReason = unstorableReasonOf(key);
        if (keyReason) return { path: childPath, reason: keyReason };
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** What to tell the person whose input held such text. */
export function describeUnstorableText({ path, reason }: UnstorableText): string {
  const what = reason === 'nul' ? 'a NUL character' : 'a broken character (an unpaired surrogate)';
  return `The text${path ? ` (${path})` : ''} contains ${what}, which cannot be saved. Remove it and try again.`;
}
