import { newId } from '@plugboard/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { buildServer, startCompiled, type CompiledServer } from './bench/compiled';
import { load, processCpuMs, startTarget, type LoadResult } from './bench/load';
import { benchServerEnv, seedBenchConnection } from './bench/seed';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV, serverStartCommand } from './node-flags';
import { freePort } from './testing';

/**
 * Issue 13's memory goal — RSS ≤ 200 MB under load and no growth across 10k requests — for the
 * server as `pnpm start` runs it: the compiled bundle (build.ts → dist/main.js under plain
 * `node` with the flags of node-flags.ts), in its own process, on SQLite, beside the raw baseline
 * of bench/target.ts (node:http + sqlite3 + SHA-256 key lookup + row select + AES-GCM open, under
 * tsx) and beside the same bundle without those flags (the A/B of what they cost in requests/s),
 * in alternating rounds of one run. RSS from /proc (what the kernel accounts): idle, after a
 * 32-client credentials load, then after each of two batches of 10k more requests (growth = the
 * difference); requests/s and the server's CPU time per request (/proc, user + system, all
 * threads) during the load and in a 5-s load once warm. Figures are min–max over the rounds.
 * Before (issue 13, same machine): 298 MB idle under tsx; 181 → 361 MB.
 */
const LOAD_S = 10;
const WARM_S = 5;
const ROUNDS = 3;
const GOAL_MB = 200;

interface Round {
  idle: number;
  loaded: number;
  after10k: number;
  after20k: number;
  /** During the load (from a cold start: V8 is still compiling the path). */
  rps: number;
  cpuMsPerRequest: number;
  /** During a WARM_S-s load after the 20k requests (warm). */
  warmRps: number;
  warmCpuMsPerRequest: number;
}

type Variant = 'raw' | 'pb' | 'pbNoFlags';

await buildServer();
const dataDir = mkdtempSync(join(tmpdir(), 'plugboard-memory-'));
const apiKey = newId('pk_');
const port = await freePort();
const env: Record<string, string> = {
  ...benchServerEnv({ port, dataDir, apiKey }),
  LOG_FORMAT: 'json',
};
const connectionId = await seedBenchConnection(env);
const start: Record<Variant, () => Promise<CompiledServer>> = {
  raw: () => startTarget('raw', { env, sqlitePath: join(dataDir, 'plugboard.db') }),
  pb: () => startCompiled({ ...env, ...SERVER_PROCESS_ENV }, SERVER_NODE_FLAGS),
  pbNoFlags: () => startCompiled(env, []),
};
const results: Record<Variant, Round[]> = { raw: [], pb: [], pbNoFlags: [] };
const checked = (r: LoadResult, what: string) => {
  if (r.errors) throw new Error(`${what}: ${r.errors} errors in ${r.requests} requests`);
  return r;
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating (and each round in another order), so a drift of the shared machine hits all.
    const order: Variant[] = ['raw', 'pb', 'pbNoFlags'];
    for (let i = 0; i < round; i++) order.push(order.shift()!);
    for (const name of order) {
      const t = await start[name]();
      try {
        const request = (opts: { seconds?: number; amount?: number }) =>
          load({
            url: t.url,
            path: name === 'raw' ? '/credentials' : '/trpc/server.connections.credentials',
            connections: 32,
            ...opts,
            headers: { authorization: `Bearer ${apiKey}` },
            body: JSON.stringify({ connectionId }),
          });
        const idle = t.rssMb();
        const cpuBefore = processCpuMs(t.pid);
        const loadRun = checked(await request({ seconds: LOAD_S }), `${name} load`);
        const cpuMsPerRequest = (processCpuMs(t.pid) - cpuBefore) / loadRun.requests;
        const loaded = t.rssMb();
        checked(await request({ amount: 10_000 }), `${name} 10k`);
        const after10k = t.rssMb();
        checked(await request({ amount: 10_000 }), `${name} 10k`);
        const after20k = t.rssMb();
        // Throughput once warm, over a fixed time (autocannon ends a fixed-amount run on its
        // 1-s tick, so the 10k batches' rates are whole-second steps).
        const warmCpuBefore = processCpuMs(t.pid);
        const warm = checked(await request({ seconds: WARM_S }), `${name} warm`);
        results[name].push({
          idle,
          loaded,
          after10k,
          after20k,
          rps: loadRun.rps,
          cpuMsPerRequest,
          warmRps: warm.rps,
          warmCpuMsPerRequest: (processCpuMs(t.pid) - warmCpuBefore) / warm.requests,
        });
      } finally {
        await t.close();
      }
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

/** min–max of some figures, formatted ("157–159 MB"; one figure when they round alike). */
const span = (xs: number[], fmt: (n: number) => string) => {
  const [lo, hi] = [fmt(Math.min(...xs)), fmt(Math.max(...xs))];
  return lo === hi ? lo : `${lo}–${hi}`.replace(/ MB–/, '–');
};
const range = (rs: Round[], f: (r: Round) => number, fmt: (n: number) => string) =>
  span(rs.map(f), fmt);
const mb = (n: number) => `${n.toFixed(0)} MB`;
const delta = (n: number) => {
  const r = Math.round(n); // no "-0"
  return `${r >= 0 ? '+' : ''}${r} MB`;
};
const describeRss = (rs: Round[]) =>
  `idle ${range(rs, (r) => r.idle, mb)}, after a ${LOAD_S}-s credentials load ` +
  `${range(rs, (r) => r.loaded, mb)}, +10k requests ${range(rs, (r) => r.after10k, mb)} ` +
  `(${range(rs, (r) => r.after10k - r.loaded, delta)}), +10k more ` +
  `${range(rs, (r) => r.after20k, mb)} (${range(rs, (r) => r.after20k - r.after10k, delta)})`;
const describeRate = (rs: Round[], warm = false) =>
  `${range(
    rs,
    (r) => (warm ? r.warmRps : r.rps),
    (n) => n.toFixed(0),
  )} req/s, ` +
  `${range(
    rs,
    (r) => (warm ? r.warmCpuMsPerRequest : r.cpuMsPerRequest),
    (n) => n.toFixed(3),
  )} ms CPU/request`;
/** a/b of one figure in each round (same round, same machine state), min–max. */
const ratio = (a: Round[], b: Round[], f: (r: Round) => number) =>
  span(
    a.map((r, i) => f(r) / f(b[i]!)),
    (n) => n.toFixed(2),
  );
const peak = (rs: Round[]) => Math.max(...rs.flatMap((r) => [r.loaded, r.after10k, r.after20k]));
const growth = (rs: Round[]) => Math.max(...rs.map((r) => r.after20k - r.loaded));
const command = serverStartCommand('dist/main.js');
const { pb, pbNoFlags, raw } = results;
const line = (s: string) => process.stdout.write(`${s}\n`);
line('');
line(
  `server RSS, compiled (\`pnpm start\`: ${command}), SQLite, 32 clients, ` +
    `${ROUNDS} alternating rounds (min–max)`,
);
line(`  Plugboard: ${describeRss(pb)}`);
line(`  raw baseline (node:http + sqlite3, tsx): ${describeRss(raw)}`);
line(
  `  → Plugboard/raw: idle ×${ratio(pb, raw, (r) => r.idle)}, loaded ` +
    `×${ratio(pb, raw, (r) => r.loaded)}; peak ${mb(peak(pb))} ` +
    `(goal ≤ ${GOAL_MB} MB, no growth: ${peak(pb) <= GOAL_MB ? 'met' : `missed by ${mb(peak(pb) - GOAL_MB)}`}, ` +
    `growth ≤ ${delta(growth(pb))}; before 298 MB idle under tsx, 181 → 361 MB)`,
);
line(`  plain node dist/main.js (same bundle, same run): ${describeRss(pbNoFlags)}`);
for (const warm of [false, true]) {
  const rps = (r: Round) => (warm ? r.warmRps : r.rps);
  line(
    `  throughput ${warm ? `warm (a ${WARM_S}-s load after the 20k requests)` : `during the ${LOAD_S}-s load (cold start)`}: ` +
      `with the flags ${describeRate(pb, warm)}; without ${describeRate(pbNoFlags, warm)} ` +
      `(with/without ×${ratio(pb, pbNoFlags, rps)} req/s per round); raw ${describeRate(raw, warm)}`,
  );
}

describe('server memory', () => {
  bench('(figures above: measured from outside, in child processes)', () => undefined, {
    iterations: 1,
    time: 0,
    warmupIterations: 0,
  });
});
