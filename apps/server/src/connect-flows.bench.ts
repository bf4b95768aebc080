import { generateKeySpec } from '@plugboard/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { runFlows, startFlowMock, type FlowResult } from './bench/flows';
import { median, startTarget } from './bench/load';
import { freePort } from './testing';

/**
 * Full headless connect flows under load (issue 13, item 4): each of N end users in a loop runs
 * start (tRPC) → mock consent → Allow → callback (state check, code exchange, identity, sealed
 * upsert) → result redirect, over real HTTP on loopback against a SQLite file. The server runs in
 * its own process (bench/target.ts), the mock providers and the load in this one: flows/s,
 * errors, and the server's own CPU per flow at 1, 8 and 32 at once (8 and 32: median of 3
 * rounds). Before (issue 13, all in one process): 17 flows/s at c=1, 21 at c=8, 22 at c=32.
 */
const SECONDS = 5;
const ROUNDS = 3;

const dataDir = mkdtempSync(join(tmpdir(), 'plugboard-bench-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env: Record<string, string> = {
  NODE_ENV: 'test',
  PORT: String(port),
  PUBLIC_URL: url,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  RATE_LIMIT: 'off',
  WEBHOOK_POLL_MS: '0',
  PLUGBOARD_ENCRYPTION_KEYS: generateKeySpec('bench1'),
};
const mock = await startFlowMock(env, [url]);
const server = await startTarget('plugboard', {
  env: { ...env, MOCK_PROVIDERS_URL: mock.url },
});

await runFlows(server, 8, 4); // warm-up: V8 compiles the path
const rounds: Record<number, FlowResult[]> = { 8: [], 32: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const c of [8, 32]) rounds[c]!.push(await runFlows(server, c, SECONDS));
}
const one = await runFlows(server, 1, SECONDS);
const rss = server.rssMb();

const pick = (rs: FlowResult[]): FlowResult => ({
  rate: median(rs.map((r) => r.rate)),
  errors: rs.reduce((n, r) => n + r.errors, 0),
  p50: median(rs.map((r) => r.p50)),
  p99: median(rs.map((r) => r.p99)),
  cpuMsPerFlow: median(rs.map((r) => r.cpuMsPerFlow)),
});
const line = (s: string) => process.stdout.write(`${s}\n`);
line('');
line('connect flows under load (Notion, SQLite file; server in its own process, mock + load here)');
for (const [c, r, before] of [
  [1, one, 17],
  [8, pick(rounds[8]!), 21],
  [32, pick(rounds[32]!), 22],
] as const) {
  line(
    `  c=${c}: ${r.rate.toFixed(1)} flows/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, ` +
      `${r.errors} errors, server CPU ${r.cpuMsPerFlow.toFixed(1)} ms/flow ` +
      `(goal ≥ 100/s, 0 errors; before ${before}/s)`,
  );
}
line(`  server RSS after the flows: ${rss.toFixed(0)} MB`);

describe('connect flows under load', () => {
  afterAll(async () => {
    await server.close();
    await mock.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  bench('(figures above)', () => undefined, { iterations: 1, time: 0, warmupIterations: 0 });
});
