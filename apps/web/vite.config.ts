import { lingui } from '@lingui/vite-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const apiServer = 'http://localhost:3000';

/**
 * `@trpc/client?subscription` → @trpc/client's own entry file as a separate module, for
 * src/lib/subscription-link.ts: tRPC defines every link in that one file, so without a second
 * module its SSE link (and the stream parsing it brings) would sit in the entry chunk although
 * only Telegram's QR sign-in uses it. Both modules import the same shared files (TRPCClientError,
 * observables), so there is still one of each class.
 */
function trpcSubscriptionLinkChunk(): Plugin {
  const id = '@trpc/client?subscription';
  return {
    name: 'plugboard:trpc-subscription-link-chunk',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source !== id) return null;
      const resolved = await this.resolve('@trpc/client', importer, { skipSelf: true });
      return resolved ? `${resolved.id}?subscription` : null;
    },
  };
}

export default defineConfig({
  // lingui.config.ts names the catalogs; a missing translation or a broken ICU message fails the build.
  plugins: [
    trpcSubscriptionLinkChunk(),
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
