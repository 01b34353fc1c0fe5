import { defineConfig, presetWind3 } from 'unocss';

/**
 * Design tokens: one accent, neutral surfaces, and the two themes picked by
 * the system setting (`dark:` follows prefers-color-scheme).
 */
export default defineConfig({
  presets: [presetWind3({ dark: 'media' })],
  theme: {
    colors: {
      accent: { DEFAULT: '#4f6df5', strong: '#3b55d9', soft: '#e8ecfe', softDark: '#1f2747' },
    },
    fontFamily: {
      sans: 'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    },
  },
  shortcuts: {
    card: 'rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900',
    'card-title': 'text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400',
    btn: 'inline-flex whitespace-nowrap items-center justify-center gap-2 rounded-xl px-4 py-2 text-sm font-medium transition focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:opacity-50 disabled:cursor-not-allowed',
    'btn-primary': 'btn bg-accent text-white hover:bg-accent-strong',
    field:
      'w-full rounded-xl border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 placeholder-slate-400 focus:border-accent focus:outline-none focus:ring-2 focus:ring-accent/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100',
  },
});
