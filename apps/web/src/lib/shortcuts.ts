/** What a key press anywhere in the signed-in app asks for, besides what the focused control does with it. */
export type Shortcut = 'previous-conversation' | 'next-conversation' | 'show-shortcuts';

/** The keys, as the shortcuts dialog lists them. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Alt + ↑ / ↓', does: 'Previous or next conversation in the list' },
  { keys: '↑ in an empty message field', does: 'Edit your last message' },
  { keys: 'Enter / Shift + Enter', does: 'Send / new line' },
  { keys: ':name', does: 'Emoji by its name, e.g. :tada:' },
  { keys: 'Escape', does: 'Close a menu or dialog; cancel a reply or an edit' },
  { keys: '?', does: 'Show these shortcuts' },
];

/** The parts of a key press that decide a shortcut. */
export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** The press went to a field where it types text (an input, a textarea, something editable). */
  isTyping: boolean;
}

/** The shortcut `press` asks for, if any. `?` is a shortcut only outside fields, where it would be typed. */
export function shortcutOf(press: KeyPress): Shortcut | undefined {
  if (press.altKey && !press.ctrlKey && !press.metaKey) {
    if (press.key === 'ArrowUp') return 'previous-conversation';
    if (press.key === 'ArrowDown') return 'next-conversation';
  }
  if (press.key === '?' && !press.isTyping && !press.altKey && !press.ctrlKey && !press.metaKey)
    return 'show-shortcuts';
  return undefined;
}

/** Whether key presses on `target` type text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  return (
    target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type)
  );
}

/** The conversation `step` places from `activeId` in `ids` (the list's order), staying at either end. */
export function conversationAfter(
  ids: readonly string[],
  activeId: string | undefined,
  step: 1 | -1,
): string | undefined {
  if (ids.length === 0) return undefined;
  const at = activeId === undefined ? -1 : ids.indexOf(activeId);
  if (at < 0) return step === 1 ? ids[0] : ids.at(-1);
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))];
}
