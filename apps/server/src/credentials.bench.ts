import { newId } from '@plugboard/core';
import type { DatabaseConfig } from '@plugboard/db';
import { createPostgresTestDatabase } from '@plugboard/db/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe, inject } from 'vitest';
import { load, median, startTarget, type LoadResult, type Target } from './bench/load';
import { benchServerEnv, seedBenchConnection } from './bench/seed';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from './node-flags';
import { freePort } from './testing';

/**
 * `server.connections.credentials` (the call every host backend makes before every provider
 * request) against issue 13's raw baseline — node:http + the same driver + SHA-256 key lookup +
 * one row select + AES-256-GCM open (bench/target.ts) — side by side in one run, each server in
 * its own process, load from this one (bench/load.ts). Rounds alternate raw / Plugboard so a
 * drift of the shared machine hits both; the ratio is the median of the rounds' ratios.
 * Also the Plugboard process's RSS: idle, after the load, and its growth over 10k more requests.
 * Before the hot-path work (issue 13, same machine): 0.08× at c=32 (p99 214 ms), 0.105× at c=1.
 */
const WARMUP_S = 8;
const ROUND_S = 4;
const ROUNDS = 3;

interface DbRun {
  name: string;
  c32: { raw: LoadResult; pb: LoadResult; ratio: number; ratios: number[] };
  c1: { raw: LoadResult; pb: LoadResult; ratio: number };
  rss?: { idle: number; loaded: number; after10k: number; after20k: number };
}

/** `url`: a PostgreSQL database; none: a SQLite file in the server's data directory. */
async function runOn(name: string, url?: string): Promise<DbRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plugboard-bench-'));
  const database: DatabaseConfig = url
    ? { kind: 'postgresql', url }
    : { kind: 'sqlite', path: join(dataDir, 'plugboard.db') };
  const apiKey = newId('pk_');
  const port = await freePort();
  const env: Record<string, string> = {
    ...benchServerEnv({ port, dataDir, apiKey }),
    ...(database.kind === 'postgresql' ? { DATABASE_URL: database.url } : {}),
  };
  const connectionId = await seedBenchConnection(env, database);
  const raw = await startTarget('raw', {
    env,
    ...(database.kind === 'postgresql'
      ? { postgresUrl: database.url }
      : { sqlitePath: database.path }),
  });
  // With the flags `pnpm start` passes (node-flags.ts): the server as it runs in production.
  const pb = await startTarget(
    'plugboard',
    { env },
    { execArgv: [...SERVER_NODE_FLAGS], processEnv: { ...SERVER_PROCESS_ENV } },
  );
  const request = (t: Target, connections: number, seconds?: number, amount?: number) =>
    load({
      url: t.url,
      path: t === raw ? '/credentials' : '/trpc/server.connections.credentials',
      connections,
      ...(seconds ? { seconds } : {}),
      ...(amount ? { amount } : {}),
      headers: { authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ connectionId }),
    });
  try {
    for (const t of [raw, pb]) {
      const res = await fetch(
        `${t.url}${t === raw ? '/credentials' : '/trpc/server.connections.credentials'}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ connectionId }),
        },
      );
      const text = await res.text();
      if (res.status !== 200 || !text.includes('ntn_')) {
        throw new Error(
          `${t === raw ? 'raw' : 'Plugboard'} answered ${res.status}: ${text.slice(0, 300)}`,
        );
      }
    }
    const idle = pb.rssMb();
    await request(raw, 32, WARMUP_S);
    await request(pb, 32, WARMUP_S);
    const rounds: { raw: LoadResult; pb: LoadResult }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push({ raw: await request(raw, 32, ROUND_S), pb: await request(pb, 32, ROUND_S) });
    }
    const pick = (k: 'raw' | 'pb'): LoadResult => ({
      rps: median(rounds.map((r) => r[k].rps)),
      p50: median(rounds.map((r) => r[k].p50)),
      p99: median(rounds.map((r) => r[k].p99)),
      requests: rounds.reduce((n, r) => n + r[k].requests, 0),
      errors: rounds.reduce((n, r) => n + r[k].errors, 0),
    });
    const c32 = {
      raw: pick('raw'),
      pb: pick('pb'),
      ratio: median(rounds.map((r) => r.pb.rps / r.raw.rps)),
      ratios: rounds.map((r) => r.pb.rps / r.raw.rps),
    };
    const raw1 = await request(raw, 1, ROUND_S);
    const pb1 = await request(pb, 1, ROUND_S);
    const run: DbRun = { name, c32, c1: { raw: raw1, pb: pb1, ratio: pb1.rps / raw1.rps } };
    if (database.kind === 'sqlite') {
      const loaded = pb.rssMb();
      const more = await request(pb, 32, undefined, 10_000);
      const after10k = pb.rssMb();
      const again = await request(pb, 32, undefined, 10_000);
      if (more.errors + again.errors) throw new Error('errors in the 2 × 10k requests');
      const after20k = pb.rssMb();
      run.rss = { idle, loaded, after10k, after20k };
    }
    return run;
  } finally {
    await raw.close();
    await pb.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const postgresUrl = inject('postgresUrl');
const runs: DbRun[] = [];
runs.push(await runOn('SQLite'));
if (postgresUrl)
  runs.push(await runOn('PostgreSQL', await createPostgresTestDatabase(postgresUrl)));

const line = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (r: LoadResult) =>
  `${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms` +
  (r.errors ? ` (${r.errors} errors)` : '');
line('');
line(
  'server.connections.credentials vs raw baseline (node:http + driver + key lookup + select + AES-GCM)',
);
for (const r of runs) {
  line(
    `  ${r.name}, 32 concurrent: Plugboard ${fmt(r.c32.pb)} vs raw ${fmt(r.c32.raw)} → ` +
      `×${r.c32.ratio.toFixed(2)} [${Math.min(...r.c32.ratios).toFixed(2)}–` +
      `${Math.max(...r.c32.ratios).toFixed(2)}, ${r.c32.ratios.length} rounds] ` +
      `(goal ≥ 0.5×, p99 ≤ 10 ms; before 0.08×; in this closed loop every answer waits behind ` +
      `the other 31, so mean latency = 32 ÷ req/s = ${((32 / r.c32.pb.rps) * 1000).toFixed(1)} ms)`,
  );
  line(
    `  ${r.name}, 1 client: Plugboard ${fmt(r.c1.pb)} vs raw ${fmt(r.c1.raw)} → ` +
      `×${r.c1.ratio.toFixed(2)} (before 0.105×)`,
  );
  if (r.rss) {
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    const delta = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(0)} MB`;
    line(
      `  ${r.name}, server RSS: idle ${mb(r.rss.idle)}, after the load ${mb(r.rss.loaded)}, ` +
        `after 10k more requests ${mb(r.rss.after10k)} (${delta(r.rss.after10k - r.rss.loaded)}), ` +
        `after 10k more ${mb(r.rss.after20k)} (${delta(r.rss.after20k - r.rss.after10k)}) ` +
        `(goal ≤ 200 MB, no growth; before 181 → 361 MB)`,
    );
  }
}

describe('credentials hot path', () => {
  bench('(figures above: measured from outside, in child processes)', () => undefined, {
    iterations: 1,
    time: 0,
    warmupIterations: 0,
  });
});
