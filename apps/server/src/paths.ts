import { fileURLToPath } from 'node:url';

/**
 * Files the server serves from other packages' builds, found from this module's own URL. It
 * sits one folder below apps/server, as the compiled bundle does (build.ts writes
 * apps/server/dist/main.js, and esbuild keeps `import.meta.url` as the bundle's URL), so the
 * same relative paths hold under tsx (src/paths.ts) and from dist.
 */
const fromServerDir = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The Connect UI's build (`pnpm --filter @plugboard/web build`). */
export const WEB_DIST_DIR = fromServerDir('../web/dist');

/** The browser SDK's build (`pnpm --filter @plugboard/connect build`). */
export const SDK_FILE = fromServerDir('../../packages/connect/dist/connect.js');
