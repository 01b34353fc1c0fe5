import { describe, expect, it } from 'bun:test';
import { isDarkTheme, parseThemePreference } from './theme.ts';

describe('theme', () => {
  it('follows the system unless a theme was picked', () => {
    expect(isDarkTheme('system', true)).toBe(true);
    expect(isDarkTheme('system', false)).toBe(false);
    expect(isDarkTheme('light', true)).toBe(false);
    expect(isDarkTheme('dark', false)).toBe(true);
  });

  it('reads a missing or unknown stored preference as the system one', () => {
    expect(parseThemePreference(null)).toBe('system');
    expect(parseThemePreference('sepia')).toBe('system');
    expect(parseThemePreference('dark')).toBe('dark');
  });
});
