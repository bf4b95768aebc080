/**
 * An A/B of two server builds under the connect-flow load (connect-flows.bench.ts's load, same
 * mock, same machine, same minute): A is another checkout of this repository (its own
 * apps/server/src/bench/target.ts, with its node_modules), B this one or a third. Each runs in its own
 * process on its own SQLite file; rounds alternate A B / B A at c=8 and c=32 so drift on a shared
 * machine falls on both. Prints each build's flows/s, latency and server CPU per flow as
 * median [min–max over rounds], and B/A per adjacent pair.
 *
 *   pnpm exec tsx apps/server/src/bench/flows-ab.ts <checkout-of-A> [checkout-of-B=this one]
 *     [rounds=4] [seconds=5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../testing';
import { flowReportLine, flowServerEnv, runFlows, startFlowMock, type FlowResult } from './flows';
import { startTarget, type Target } from './load';

const [baseRoot, bRoot, roundsArg, secondsArg] = process.argv.slice(2);
if (!baseRoot) throw new Error('usage: flows-ab.ts <checkout-of-A> [checkout-of-B] [rounds] [s]');
const targetIn = (root: string | undefined) =>
  root && root !== '.' ? { targetPath: resolve(root, 'apps/server/src/bench/target.ts') } : {};
const ROUNDS = Number(roundsArg ?? 4);
const SECONDS = Number(secondsArg ?? 5);

async function envFor(): Promise<{ env: Record<string, string>; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'plugboard-ab-'));
  return { dir, env: flowServerEnv(await freePort(), dir) };
}

const a = await envFor();
const b = await envFor();
const mock = await startFlowMock(a.env, [a.env.PUBLIC_URL!, b.env.PUBLIC_URL!]);
const targets: Record<'A' | 'B', Target> = {
  A: await startTarget(
    'plugboard',
    { env: { ...a.env, MOCK_PROVIDERS_URL: mock.url } },
    targetIn(baseRoot),
  ),
  B: await startTarget(
    'plugboard',
    { env: { ...b.env, MOCK_PROVIDERS_URL: mock.url } },
    targetIn(bRoot),
  ),
};

for (const t of ['A', 'B'] as const) await runFlows(targets[t], 8, 4); // warm-up
const results: Record<string, FlowResult[]> = {};
const ratios: Record<number, number[]> = { 8: [], 32: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const c of [8, 32]) {
    const order = i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
    const got: Partial<Record<'A' | 'B', FlowResult>> = {};
    for (const t of order) {
      got[t] = await runFlows(targets[t], c, SECONDS);
      (results[`${t}${c}`] ??= []).push(got[t]);
    }
    ratios[c]!.push(got.B!.rate / got.A!.rate);
  }
}

const line = (s: string) => process.stdout.write(`${s}\n`);
line(
  `connect flows A/B (A = ${baseRoot}, B = ${bRoot && bRoot !== '.' ? bRoot : 'this checkout'}; ` +
    `${ROUNDS} rounds × ${SECONDS} s)`,
);
for (const c of [8, 32]) {
  for (const t of ['A', 'B'] as const) line(`  ${t} ${flowReportLine(c, results[`${t}${c}`]!)}`);
  const r = ratios[c]!;
  line(
    `  B/A at c=${c}: ${r.map((x) => x.toFixed(2)).join(', ')} ` +
      `[${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)}]`,
  );
}

await Promise.all([targets.A.close(), targets.B.close(), mock.close()]);
for (const d of [a.dir, b.dir]) rmSync(d, { recursive: true, force: true });
