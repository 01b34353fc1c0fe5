import { createSignal } from 'solid-js';

/** What someone picked: their system's setting, or one theme whatever the system says. */
export type ThemePreference = 'system' | 'light' | 'dark';
export const THEME_PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'gopherchat.theme';

/** A stored preference, or the system's when there is none (or one this version does not know). */
export function parseThemePreference(stored: string | null): ThemePreference {
  return THEME_PREFERENCES.find((preference) => preference === stored) ?? 'system';
}

export function isDarkTheme(preference: ThemePreference, systemPrefersDark: boolean): boolean {
  return preference === 'dark' || (preference === 'system' && systemPrefersDark);
}

// Per device, not per account: it follows the screen and the room, and is wanted before anyone signs in.
const [themePreference, setPreference] = createSignal<ThemePreference>('system');

export { themePreference };

const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The tokens in uno.config.ts follow these classes; `dark:` variants follow `.dark`. */
function applyTheme() {
  const isDark = isDarkTheme(themePreference(), systemDark().matches);
  document.documentElement.classList.toggle('dark', isDark);
  document.documentElement.classList.toggle('light', !isDark);
}

/** Applies the stored theme, and follows the system's while that is the one in use. Call before the first render. */
export function startTheme() {
  setPreference(parseThemePreference(localStorage.getItem(STORAGE_KEY)));
  applyTheme();
  systemDark().addEventListener('change', applyTheme);
}

export function setThemePreference(preference: ThemePreference) {
  if (preference === 'system') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, preference);
  setPreference(preference);
  applyTheme();
}
