import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import {
  flowReportLine,
  flowServerEnv,
  runFlows,
  startFlowMock,
  type FlowResult,
} from './bench/flows';
import { buildServer, startCompiled } from './bench/compiled';
import { startTarget } from './bench/load';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from './node-flags';
import { freePort } from './testing';

/**
 * Full headless connect flows under load (issue 13, item 4): each of N end users in a loop runs
 * start (tRPC) → mock consent → Allow → callback (state check, code exchange, identity, sealed
 * upsert) → result redirect, over real HTTP on loopback against a SQLite file. The server runs in
 * its own process (bench/target.ts), the mock providers and the load in this one: flows/s,
 * errors, and the server's own CPU per flow at 1, 8 and 32 at once (8 and 32: 3 rounds each,
 * interleaved, reported as median [min–max over the rounds]). Goal: ≥ 100 flows/s at 8 and 32
 * with 0 errors. Before (issue 13, all in one process): 17 flows/s at c=1, 21 at c=8, 22 at c=32;
 * 2026-12-03 (load average 3–6): 127–133/s at c=8, 130–146/s at c=32, ~6 ms server CPU a flow.
 * Two server builds side by side in alternating rounds: bench/flows-ab.ts.
 *
 * Memory under this load (issue 13, item 6: RSS ≤ 200 MB, no growth): the compiled server as
 * `pnpm start` runs it (bench/compiled.ts, with the flags of node-flags.ts), RSS idle and after
 * each of RSS_RUNS loads of RSS_SECONDS at c=32 — growth is the difference between the last two.
 * Measured on the compiled bundle because tsx alone adds ~40 MB.
 */
const SECONDS = 5;
const ROUNDS = 3;
const RSS_SECONDS = 10;
const RSS_RUNS = 3;
const GOAL_MB = 200;

const dataDir = mkdtempSync(join(tmpdir(), 'plugboard-bench-'));
const port = await freePort();
const env = flowServerEnv(port, dataDir);
const url = env.PUBLIC_URL!;
const compiledDir = mkdtempSync(join(tmpdir(), 'plugboard-bench-'));
const compiledEnv = flowServerEnv(await freePort(), compiledDir);
const mock = await startFlowMock(env, [url, compiledEnv.PUBLIC_URL!]);
// With the flags `pnpm start` passes (node-flags.ts): the server as it runs in production.
const server = await startTarget(
  'plugboard',
  { env: { ...env, MOCK_PROVIDERS_URL: mock.url } },
  { execArgv: [...SERVER_NODE_FLAGS], processEnv: { ...SERVER_PROCESS_ENV } },
);

await runFlows(server, 8, 4); // warm-up: V8 compiles the path
const rounds: Record<number, FlowResult[]> = { 8: [], 32: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const c of [8, 32]) rounds[c]!.push(await runFlows(server, c, SECONDS));
}
const one = await runFlows(server, 1, SECONDS);
const rss = server.rssMb();
await server.close();

await buildServer();
const compiled = await startCompiled(
  { ...compiledEnv, ...SERVER_PROCESS_ENV, MOCK_PROVIDERS_URL: mock.url },
  SERVER_NODE_FLAGS,
);
const rssIdle = compiled.rssMb();
const rssRuns: { rss: number; flows: FlowResult }[] = [];
try {
  for (let i = 0; i < RSS_RUNS; i++) {
    const flows = await runFlows(compiled, 32, RSS_SECONDS);
    rssRuns.push({ rss: compiled.rssMb(), flows });
  }
} finally {
  await compiled.close();
}

const line = (s: string) => process.stdout.write(`${s}\n`);
line('');
line(
  'connect flows under load (Notion, SQLite file; server in its own process, mock + load here; ' +
    'goal ≥ 100 flows/s at c=8 and c=32, 0 errors)',
);
for (const [c, rs, before] of [
  [1, [one], 17],
  [8, rounds[8]!, 21],
  [32, rounds[32]!, 22],
] as const) {
  line(`  ${flowReportLine(c, rs, true)} (before ${before}/s)`);
}
line(`  server RSS after the flows (under tsx): ${rss.toFixed(0)} MB`);
const mb = (n: number) => `${n.toFixed(0)} MB`;
const peak = Math.max(...rssRuns.map((r) => r.rss));
const growth = rssRuns.at(-1)!.rss - rssRuns.at(-2)!.rss;
const flowErrors = rssRuns.reduce((n, r) => n + r.flows.errors, 0);
line(
  `  compiled server (pnpm start's flags), RSS: idle ${mb(rssIdle)}, after each ${RSS_SECONDS}-s ` +
    `load at c=32 ${rssRuns.map((r) => `${mb(r.rss)} (${r.flows.rate.toFixed(0)} flows/s)`).join(', ')}; ` +
    `${flowErrors} errors; goal ≤ ${GOAL_MB} MB: ${peak <= GOAL_MB && flowErrors === 0 ? 'met' : 'missed'}; ` +
    `growth over the last load ${growth >= 0 ? '+' : ''}${mb(growth)}`,
);

describe('connect flows under load', () => {
  afterAll(async () => {
    await mock.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(compiledDir, { recursive: true, force: true });
  });
  bench('(figures above)', () => undefined, { iterations: 1, time: 0, warmupIterations: 0 });
});
