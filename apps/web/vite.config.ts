import UnoCSS from 'unocss/vite';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// In development the API runs beside Vite; the proxy makes both one origin
// for the browser (cookies, WebSocket Origin checks) exactly as in production,
// where the server itself serves this build.
const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  plugins: [UnoCSS(), solid()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: {
      '/trpc': { target: apiUrl, ws: true },
      '/auth': apiUrl,
      '/healthz': apiUrl,
      '/readyz': apiUrl,
    },
  },
  optimizeDeps: {
    // Pre-bundled up front: otherwise Vite discovers them when the sign-up
    // form lazily loads the password policy, and reloads the page mid-use.
    include: [
      '@gopherchat/api > @zxcvbn-ts/core',
      '@gopherchat/api > @zxcvbn-ts/language-common',
      '@gopherchat/api > @zxcvbn-ts/language-en',
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
});
