import { createHash } from 'node:crypto';
import UnoCSS from 'unocss/vite';
import { defineConfig, type Plugin } from 'vite';
import solid, { type Options as SolidOptions } from 'vite-plugin-solid';

const SERVICE_WORKER_ENTRY = 'src/service-worker.ts';

/**
 * Builds src/service-worker.ts to /sw.js (the site root: a worker's scope is
 * at most its own folder) and fills in what it caches: the files
 * index.html loads, and a version that changes whenever any of them does.
 */
function serviceWorker(): Plugin {
  return {
    name: 'gopherchat-service-worker',
    apply: 'build',
    // After Vite's own HTML plugin has put index.html in the bundle.
    enforce: 'post',
    buildStart() {
      this.emitFile({ type: 'chunk', id: SERVICE_WORKER_ENTRY, fileName: 'sw.js' });
    },
    generateBundle(_options, bundle) {
      const index = bundle['index.html'];
      const worker = bundle['sw.js'];
      if (index?.type !== 'asset' || worker?.type !== 'chunk')
        this.error('index.html or sw.js is missing from the build');
      const html = String(index.source);
      const loaded = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] as string);
      // The sign-in screen is a chunk of its own (the signed-in app never shows it), but a reload while signed out
      // and offline must still show it.
      const signIn = Object.values(bundle).flatMap((file) =>
        file.type === 'chunk' && file.facadeModuleId?.endsWith('/auth-screen.tsx') ? [`/${file.fileName}`] : [],
      );
      if (signIn.length !== 1) this.error('the sign-in screen is not a chunk of its own');
      const build = {
        version: createHash('sha256').update(html).digest('hex').slice(0, 16),
        shell: ['/index.html', ...new Set([...loaded, ...signIn])],
      };
      worker.code = worker.code.replaceAll('__SW_BUILD__', JSON.stringify(build));
    },
  };
}

/**
 * Solid's compiler writes a JSX style's constant parts (`'max-width': '100%'`)
 * into the template's HTML as a `style` attribute, which the server's
 * Content-Security-Policy (style-src without 'unsafe-inline') refuses. Off,
 * every style is set through the CSSOM, which style-src does not govern.
 * (Not in vite-plugin-solid's types, but passed on to the JSX transform.)
 */
const CSP_SAFE_JSX: SolidOptions['solid'] & { inlineStyles: boolean } = { inlineStyles: false };

// In development the API runs beside Vite; the proxy makes both one origin
// for the browser (cookies, WebSocket Origin checks) exactly as in production,
// where the server itself serves this build.
const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  plugins: [UnoCSS(), solid({ solid: CSP_SAFE_JSX }), serviceWorker()],
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
    // PROFILE_BUILD=1 (bench:web --trace): unminified, so that a performance trace names functions as the source does.
    minify: process.env.PROFILE_BUILD ? false : undefined,
  },
});
