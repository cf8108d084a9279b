import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The embedded admin: built into web/dist, which the server serves at the app's root URL. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // The manifest tells scripts/sizes.ts which chunks the first load fetches and which each page adds.
  build: { outDir: path.join(root, 'dist'), emptyOutDir: true, sourcemap: false, manifest: true, chunkSizeWarningLimit: 1500 },
  logLevel: 'warn',
});
