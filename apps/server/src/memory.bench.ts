import { newId } from '@plugboard/core';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bench, describe } from 'vitest';
import { load, rssMbOf, startTarget, type LoadResult } from './bench/load';
import { benchServerEnv, seedBenchConnection } from './bench/seed';
import { freePort } from './testing';

/**
 * Issue 13's memory goal — RSS ≤ 200 MB under load and no growth across 10k requests — for the
 * server as `pnpm start` runs it: the compiled bundle (build.ts → dist/main.js under plain
 * `node`), in its own process, on SQLite, beside the raw baseline of bench/target.ts (node:http
 * + sqlite3 + SHA-256 key lookup + row select + AES-GCM open, under tsx) in the same run.
 * RSS from /proc (what the kernel accounts): idle, after a 32-client credentials load, then
 * after each of two batches of 10k more requests (growth = the difference).
 * Before (issue 13, same machine): 298 MB idle under tsx; 181 → 361 MB after the load.
 */
const LOAD_S = 10;
const serverDir = fileURLToPath(new URL('..', import.meta.url));

/** The compiled server, started as `pnpm start` starts it; resolves once /healthz answers. */
async function startCompiled(env: Record<string, string>) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: serverDir,
    // Only the bench's environment: the server is started by its absolute node path.
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`dist/main.js exited (${code})`))),
  );
  for (let i = 0; ; i++) {
    const up = await Promise.race([
      fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) break;
    if (i > 300) throw new Error('dist/main.js did not answer /healthz within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    rssMb: () => rssMbOf(child.pid!),
    close: async () => {
      child.removeAllListeners('exit');
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
  };
}

interface Rss {
  idle: number;
  loaded: number;
  after10k: number;
  after20k: number;
}

await promisify(execFile)(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: serverDir });
const dataDir = mkdtempSync(join(tmpdir(), 'plugboard-memory-'));
const apiKey = newId('pk_');
const port = await freePort();
const env: Record<string, string> = {
  ...benchServerEnv({ port, dataDir, apiKey }),
  LOG_FORMAT: 'json',
};
const connectionId = await seedBenchConnection(env);
const raw = await startTarget('raw', { env, sqlitePath: join(dataDir, 'plugboard.db') });
const pb = await startCompiled(env);
const results: Record<'raw' | 'pb', Rss> = {} as Record<'raw' | 'pb', Rss>;
try {
  const request = (t: typeof raw | typeof pb, opts: { seconds?: number; amount?: number }) =>
    load({
      url: t.url,
      path: t === raw ? '/credentials' : '/trpc/server.connections.credentials',
      connections: 32,
      ...opts,
      headers: { authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ connectionId }),
    });
  const checked = (r: LoadResult, what: string) => {
    if (r.errors) throw new Error(`${what}: ${r.errors} errors in ${r.requests} requests`);
    return r;
  };
  const idle = { raw: raw.rssMb(), pb: pb.rssMb() };
  // Alternating, so a drift of the shared machine hits both.
  for (const [name, t] of [['raw', raw] as const, ['pb', pb] as const]) {
    checked(await request(t, { seconds: LOAD_S }), `${name} load`);
    const loaded = t.rssMb();
    checked(await request(t, { amount: 10_000 }), `${name} 10k`);
    const after10k = t.rssMb();
    checked(await request(t, { amount: 10_000 }), `${name} 10k`);
    results[name] = { idle: idle[name], loaded, after10k, after20k: t.rssMb() };
  }
} finally {
  await raw.close();
  await pb.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const mb = (n: number) => `${n.toFixed(0)} MB`;
const delta = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(0)} MB`;
const describeRss = (r: Rss) =>
  `idle ${mb(r.idle)}, after a ${LOAD_S}-s credentials load ${mb(r.loaded)}, ` +
  `+10k requests ${mb(r.after10k)} (${delta(r.after10k - r.loaded)}), ` +
  `+10k more ${mb(r.after20k)} (${delta(r.after20k - r.after10k)})`;
const line = (s: string) => process.stdout.write(`${s}\n`);
line('');
line('server RSS, compiled (`pnpm start`: node dist/main.js), SQLite, 32 clients');
line(`  Plugboard: ${describeRss(results.pb)}`);
line(`  raw baseline (node:http + sqlite3, tsx): ${describeRss(results.raw)}`);
line(
  `  → Plugboard/raw: idle ×${(results.pb.idle / results.raw.idle).toFixed(2)}, loaded ` +
    `×${(results.pb.loaded / results.raw.loaded).toFixed(2)}; peak ` +
    `${mb(Math.max(results.pb.loaded, results.pb.after10k, results.pb.after20k))} ` +
    `(goal ≤ 200 MB, no growth; before 298 MB idle under tsx, 181 → 361 MB)`,
);

describe('server memory', () => {
  bench('(figures above: measured from outside, in child processes)', () => undefined, {
    iterations: 1,
    time: 0,
    warmupIterations: 0,
  });
});
