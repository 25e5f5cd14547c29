import { defineConfig } from 'vite';

/**
 * The web app's build: Preact's JSX through the bundler's own transform (no plugin needed),
 * everything into apps/web/dist, which the API serves at `/`. No CDN, no external request.
 */
export default defineConfig({
  // Scripts run from the repository's root (npm run build:web).
  root: 'apps/web',
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: true,
    modulePreload: { polyfill: false },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
