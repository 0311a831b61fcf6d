/**
 * The host's Vite config, shown in the README as pasted: `vite build` for the production page, and
 * in development (`vite`) the dev server passes the kit's and the backend's routes to the backend
 * (BACKEND_URL, set by dev.ts to the test backend's ephemeral port).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Your backend in development (the Express server that mounts the proxy).
const backend = process.env.BACKEND_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      // The object form with changeOrigin: false keeps the Host header, from which the proxy takes its
      // public origin. Vite's string shorthand ('/api/embed': backend) sets changeOrigin: true, and the
      // proxy would then refuse every request as origin_not_allowed.
      '/api/embed': { target: backend, changeOrigin: false },
      '/my-backend': backend,
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 4096 },
});
