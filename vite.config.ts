import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The back-office renderer: a browser app served by the host (browser mode) or loaded by Electron.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // zod, configured for the host's CSP before any schema is built (renderer/src/lib/zod-config.ts).
  resolve: {
    alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('renderer/src/lib/zod-config.ts', import.meta.url)) }],
  },
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
});
