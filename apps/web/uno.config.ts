import { defineConfig, presetWind3 } from 'unocss';

/**
 * The design tokens: every semantic colour once, as [light, dark]. Pairs meant
 * to be read together (fg and fg-muted on any surface, accent-contrast on
 * accent, danger on danger-soft…) keep a WCAG contrast of at least 4.5:1 in
 * both themes; e2e/rendering.test.ts measures the ones on screen.
 */
const TOKENS = {
  /** The page. */
  surface: ['#f8fafc', '#020617'],
  /** Cards, panels, menus: what sits on the page. */
  'surface-raised': ['#ffffff', '#0f172a'],
  /** Set into a raised surface: others' message bubbles, hovered rows, tabs. */
  'surface-sunken': ['#f1f5f9', '#1e293b'],
  /** Body text. */
  fg: ['#0f172a', '#f1f5f9'],
  /** Secondary text: times, hints, previews. Darker than slate-500, which falls short of 4.5:1 on sunken surfaces. */
  'fg-muted': ['#526074', '#94a3b8'],
  line: ['#e2e8f0', '#1e293b'],
  /** Borders that must be seen: fields, outlined buttons; also avatars. */
  'line-strong': ['#cbd5e1', '#334155'],
  /** Filled accent: primary buttons, my messages, badges. */
  accent: ['#4562f0', '#4562f0'],
  'accent-strong': ['#3b55d9', '#3b55d9'],
  /** Text on an accent fill. */
  'accent-contrast': ['#ffffff', '#ffffff'],
  /** Accent as text or ticks on a surface: the fill is too dark to read on a dark one. */
  'accent-fg': ['#3b55d9', '#8ea2ff'],
  /** A tinted background: the open conversation, my session. */
  'accent-soft': ['#e8ecfe', '#1f2747'],
  danger: ['#b91c1c', '#f87171'],
  'danger-soft': ['#fef2f2', '#2a1215'],
  success: ['#047857', '#34d399'],
  'success-soft': ['#ecfdf5', '#0b2a22'],
  warning: ['#92400e', '#fcd34d'],
  'warning-soft': ['#fffbeb', '#2b1f0a'],
} as const satisfies Record<string, readonly [light: string, dark: string]>;

type Token = keyof typeof TOKENS;

/** `#rrggbb` as the `r g b` channels `rgb(var(--…) / alpha)` takes, so that `bg-accent/30` still works. */
const channels = (hex: string) => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)).join(' ');
const variablesOf = (theme: 0 | 1) =>
  Object.entries(TOKENS)
    .map(([name, values]) => `--gc-${name}:${channels(values[theme])};`)
    .join('');
const color = (name: Token) => `rgb(var(--gc-${name}))`;

/**
 * The system's theme unless one is picked (lib/theme.ts sets `.light` or
 * `.dark` on <html>). The media query alone colours the page before any
 * script has run; `dark:` variants follow the class, so that a picked theme
 * wins over the system's for classes not yet moved to the tokens too.
 */
const THEME_CSS = `
:root{color-scheme:light;${variablesOf(0)}}
@media (prefers-color-scheme: dark){:root:not(.light){color-scheme:dark;${variablesOf(1)}}}
:root.dark{color-scheme:dark;${variablesOf(1)}}
`;

export default defineConfig({
  presets: [presetWind3({ dark: 'class' })],
  preflights: [{ getCSS: () => THEME_CSS }],
  theme: {
    colors: {
      surface: { DEFAULT: color('surface'), raised: color('surface-raised'), sunken: color('surface-sunken') },
      fg: { DEFAULT: color('fg'), muted: color('fg-muted') },
      line: { DEFAULT: color('line'), strong: color('line-strong') },
      accent: {
        DEFAULT: color('accent'),
        strong: color('accent-strong'),
        contrast: color('accent-contrast'),
        fg: color('accent-fg'),
        soft: color('accent-soft'),
      },
      danger: { DEFAULT: color('danger'), soft: color('danger-soft') },
      success: { DEFAULT: color('success'), soft: color('success-soft') },
      warning: { DEFAULT: color('warning'), soft: color('warning-soft') },
    },
    fontFamily: {
      sans: 'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    },
  },
  shortcuts: {
    card: 'rounded-2xl border border-line bg-surface-raised p-5 shadow-sm',
    'card-title': 'text-sm font-semibold uppercase tracking-wide text-fg-muted',
    /** A modal form dialog (new conversation, group settings): a card at most 28rem wide over a dimmed page. */
    'dialog-panel':
      'w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-line bg-surface-raised p-0 text-fg shadow-xl backdrop:bg-slate-900/40',
    /** At least 44 px square on a phone, where a finger aims; 36 px with a pointer. */
    btn: 'inline-flex min-h-11 min-w-11 md:min-h-9 md:min-w-9 whitespace-nowrap items-center justify-center gap-2 rounded-xl px-4 py-2 text-sm font-medium transition focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:opacity-50 disabled:cursor-not-allowed',
    'btn-primary': 'btn bg-accent text-accent-contrast hover:bg-accent-strong',
    field:
      'w-full rounded-xl border border-line-strong bg-surface px-3 py-2 text-sm text-fg placeholder-fg-muted focus:border-accent focus:outline-none focus:ring-2 focus:ring-accent/30',
  },
});
