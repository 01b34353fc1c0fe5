import { For } from 'solid-js';
import {
  parseThemePreference,
  setThemePreference,
  THEME_PREFERENCES,
  type ThemePreference,
  themePreference,
} from '../theme.ts';

const LABELS: Record<ThemePreference, string> = {
  system: 'System theme',
  light: 'Light theme',
  dark: 'Dark theme',
};

/** Light, dark, or whatever the system says; remembered on this device. */
export function ThemePicker() {
  return (
    <select
      class="rounded-xl border border-line bg-surface-raised px-2 py-1.5 text-sm text-fg focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
      aria-label="Theme"
      value={themePreference()}
      onChange={(event) => setThemePreference(parseThemePreference(event.currentTarget.value))}
    >
      <For each={THEME_PREFERENCES}>{(preference) => <option value={preference}>{LABELS[preference]}</option>}</For>
    </select>
  );
}
