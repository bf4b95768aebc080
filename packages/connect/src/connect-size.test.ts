import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sdkBuildOptions } from '../build';

/** The budget issue 9 sets for the browser SDK, gzipped. */
const BUDGET_BYTES = 6 * 1024;

describe('@plugboard/connect bundle', () => {
  it('is one ES module within 6 KB gzip, with nothing of zod or contracts in it', async () => {
    const result = await build({ ...sdkBuildOptions, write: false, metafile: true });
    const code = result.outputFiles[0]!.text;
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(code).toMatch(/export\s*\{[^}]*createPlugboardConnect/);
    // Type-only imports of contracts: only this package's own files are in the bundle.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.every((file) => file.includes('packages/connect/src/'))).toBe(true);
    expect(inputs.length).toBeGreaterThan(0);
  });
});
