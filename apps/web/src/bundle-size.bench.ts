import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { buildWeb, measureInitialJs, reportLine } from '../bundle-size';

/**
 * The Connect UI's first-screen JavaScript against issue 13's 100 KB budget: the figure and
 * ratio are in the benchmark's name (and printed), the timing is the measurement itself
 * (manifest walk + gzip of the initial chunks). The budget is enforced by bundle-size.test.ts.
 */
// Built at module load, like apps/server/src/notion-flow.bench.ts sets up its stack.
const outDir = await mkdtemp(join(tmpdir(), 'plugboard-web-bench-'));
await buildWeb(outDir);
const line = reportLine(await measureInitialJs(outDir));
console.log(line);

describe('web bundle', () => {
  afterAll(async () => rm(outDir, { recursive: true, force: true }));

  bench(line, async () => {
    await measureInitialJs(outDir);
  });
});
