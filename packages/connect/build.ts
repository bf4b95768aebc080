import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * The served bundle (`GET /sdk/connect.js`): one minified ES module, nothing but this package's
 * code (its contracts imports are type-only, so no zod ships). `connect-size.test.ts` holds it
 * to the 6 KB gzip budget.
 */
export const sdkBuildOptions: BuildOptions = {
  entryPoints: [fileURLToPath(new URL('./src/index.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
};

export const SDK_OUTFILE = fileURLToPath(new URL('./dist/connect.js', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ ...sdkBuildOptions, outfile: SDK_OUTFILE });
}
