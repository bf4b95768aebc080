import { build, type Plugin } from 'esbuild';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `pnpm --filter @plugboard/server build` → dist/main.js, what `pnpm start` runs with plain
 * `node` (no TypeScript compiler in the process). The workspace packages (which export their
 * TypeScript source) are bundled, and so is simple-icons, so that only the marks the catalog
 * uses are loaded instead of every icon. Every other package stays a dependency loaded from
 * node_modules, as under tsx: drivers, native modules and packages that load files by path keep
 * working unchanged.
 */
const serverDir = fileURLToPath(new URL('.', import.meta.url));
const outdir = `${serverDir}dist`;
const BUNDLED = /^(@plugboard\/|simple-icons$)/;

/**
 * A package imported from a workspace package resolves from that package's folder (pnpm gives
 * each package its own dependencies), not from apps/server: so each external import is resolved
 * where it is written and emitted as a path relative to dist/.
 */
const externalDependencies: Plugin = {
  name: 'external-dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('node:') || BUNDLED.test(args.path) || args.pluginData === 'inner')
        return null;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'inner',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      if (resolved.external) return { path: args.path, external: true };
      return { path: `./${relative(outdir, resolved.path)}`, external: true };
    });
  },
};

await build({
  entryPoints: [`${serverDir}src/main.ts`],
  outdir,
  bundle: true,
  // `import()` stays lazy: what a module loads on demand (Telegram's MTProto client, say) is a
  // chunk of its own, not part of main.js's static imports.
  splitting: true,
  // Chunks sit beside main.js: external paths are written relative to dist/.
  chunkNames: '[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Resolve as Node does (no "module" field or condition: those name bundler-only builds).
  mainFields: ['main'],
  conditions: ['node'],
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalDependencies],
});
