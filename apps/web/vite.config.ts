import { lingui } from '@lingui/vite-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const apiServer = 'http://localhost:3000';

/**
 * `@trpc/client?subscription` and `@trpc/tanstack-react-query?subscription` → that package's own
 * entry file as a separate module, for the code only Telegram's QR sign-in needs
 * (src/lib/subscription-link.ts, src/components/telegram/qr-panel.tsx): tRPC defines every link
 * (and every React helper) in one file per package, so without a second module its SSE link
 * (and the stream parsing it brings) and `useSubscription` would sit in the entry chunk. Both
 * modules import the same shared files (TRPCClientError, observables), so there is still one of
 * each class; `useSubscription` keeps no module state.
 */
function trpcSubscriptionChunk(): Plugin {
  const packages = ['@trpc/client', '@trpc/tanstack-react-query'];
  return {
    name: 'plugboard:trpc-subscription-chunk',
    enforce: 'pre',
    async resolveId(source, importer) {
      const name = packages.find((pkg) => source === `${pkg}?subscription`);
      if (!name) return null;
      const resolved = await this.resolve(name, importer, { skipSelf: true });
      return resolved ? `${resolved.id}?subscription` : null;
    },
  };
}

export default defineConfig({
  // lingui.config.ts names the catalogs; a missing translation or a broken ICU message fails the build.
  plugins: [
    trpcSubscriptionChunk(),
    react(),
    lingui({ failOnMissing: true, failOnCompileError: true }),
  ],
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
    // Every browser the UI supports knows <link rel="modulepreload">; without it a chunk's
    // imports are fetched when it runs, which the lazy chunks here do not mind (their imports are
    // the entry's). https://vite.dev/config/build-options#build-modulepreload
    modulePreload: { polyfill: false },
  },
});
