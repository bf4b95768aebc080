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
      if (name) {
        const resolved = await this.resolve(name, importer, { skipSelf: true });
        return resolved ? `${resolved.id}?subscription` : null;
      }
      // The second @trpc/client entry takes `resultOf` from the wsLink file: a copy of its own, so
      // the entry chunk's copy has no user left and drops out (see `trpcWsConnectionPure`).
      if (
        importer?.endsWith('/@trpc/client/dist/index.mjs?subscription') &&
        wsLinkFile.test(source)
      ) {
        const resolved = await this.resolve(source, importer.replace(/\?subscription$/, ''), {
          skipSelf: true,
        });
        return resolved ? `${resolved.id}?subscription` : null;
      }
      return null;
    },
  };
}

const wsLinkFile = /^\.\/wsLink-[\w-]+\.mjs$/;

/**
 * @trpc/client's wsLink file ends its `WsConnection` class with a top-level
 * `_defineProperty(WsConnection, "connectCount", 0)` (a static field, compiled down): a call the
 * bundler must keep, and with it the whole class, in every bundle that imports @trpc/client,
 * though the Connect UI never opens a WebSocket. Wrapped in an IIFE marked `@__PURE__`
 * (https://oxc.rs/docs/guide/usage/minifier/dead-code-elimination#pure-annotations), the class
 * and its static field are still defined together at module load, and drop out when unused. If
 * a tRPC release changes that code, the build warns and leaves it as it is (the bundle-size test
 * then shows the bytes coming back).
 */
function trpcWsConnectionPure(): Plugin {
  const pattern =
    /\nvar WsConnection = (class WsConnection \{[\s\S]*?\n\});\n(_defineProperty\(WsConnection, "connectCount", 0\);)\n/;
  return {
    name: 'plugboard:trpc-ws-connection-pure',
    enforce: 'pre',
    transform: {
      filter: { id: /\/@trpc\/client\/dist\/wsLink-[\w-]+\.mjs(\?subscription)?$/ },
      handler(code) {
        if (!pattern.test(code)) {
          this.warn('WsConnection is not defined as expected: left as it is');
          return null;
        }
        const replaced = code.replace(
          pattern,
          (_match, cls: string, staticField: string) =>
            // Same line count, so the file's lines keep their places (`map: null`:
            // https://rollupjs.org/plugin-development/#source-code-transformations).
            `\nvar WsConnection = /* @__PURE__ */ (() => { var WsConnection = ${cls};\n${staticField} return WsConnection; })();\n`,
        );
        return { code: replaced, map: null };
      },
    },
  };
}

export default defineConfig({
  // lingui.config.ts names the catalogs; a missing translation or a broken ICU message fails the build.
  plugins: [
    trpcSubscriptionChunk(),
    trpcWsConnectionPure(),
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
