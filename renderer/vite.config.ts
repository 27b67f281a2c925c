import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// The built renderer is served by the web host under a strict CSP
// (script-src 'self'; no inline scripts, no eval) and loaded by Electron from file://,
// hence relative asset URLs and no inline module-preload polyfill.
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    // POLYVISOR_RENDERER_OUT: a build of one's own beside others' (e2e runs side by side)
    outDir: process.env.POLYVISOR_RENDERER_OUT ?? path.resolve(here, '..', 'dist-renderer'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
