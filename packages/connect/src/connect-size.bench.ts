import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { bench, describe } from 'vitest';
import { sdkBuildOptions } from '../build';

const { outputFiles } = await build({ ...sdkBuildOptions, write: false });
const code = outputFiles[0]!.contents;
// The line `pnpm bench` prints for the SDK's size (budget: 6 KB gzip, connect-size.test.ts).
console.log(
  `@plugboard/connect: ${code.length} bytes minified, ${gzipSync(code, { level: 9 }).length} bytes gzip (budget 6144)`,
);

describe('@plugboard/connect bundle', () => {
  bench('gzip the served SDK', () => {
    gzipSync(code, { level: 9 });
  });
});
