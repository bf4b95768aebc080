import { lingui } from '@lingui/vite-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiServer = 'http://localhost:3000';

export default defineConfig({
  // lingui.config.ts names the catalogs; a missing translation or a broken ICU message fails the build.
  plugins: [react(), lingui({ failOnMissing: true, failOnCompileError: true })],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/trpc': apiServer,
      '/oauth': apiServer,
      '/dev': apiServer,
      '/healthz': apiServer,
      // Only the connect-token route itself (`/connect?token=…`): `/connect/result` is a page of
      // this app and must stay with the dev server.
      '^/connect(\\?.*)?$': apiServer,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
