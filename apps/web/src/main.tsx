import '@unocss/reset/tailwind.css';
import 'virtual:uno.css';
import { render } from 'solid-js/web';
import { App } from './app.tsx';
import { startTheme } from './lib/theme.ts';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
startTheme();
render(() => <App />, root);

// Built apps only: in development a cached shell would hide Vite's fresh modules. (Not `PROD`: that
// follows NODE_ENV, which a test runner sets to `test` even around `vite build`.)
if (import.meta.env.MODE === 'production' && 'serviceWorker' in navigator) {
  // After load, so caching the shell does not compete with the page's own first requests.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((error) => console.warn('No offline support:', error));
  });
}
