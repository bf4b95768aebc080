import { afterAll, bench, describe } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from './testing';

/**
 * Full headless connect flows under load (issue 13, item 4): each of N end users in a loop runs
 * start (tRPC) → mock consent → Allow → callback (state check, code exchange, identity, sealed
 * upsert) → result redirect, over real HTTP on loopback against a SQLite file. Flows/s and
 * errors at 1, 8 and 32 at once. The load runs in this process beside the server and the mock,
 * so all three share the machine's two cores: a ceiling, compared within one run.
 * Before (issue 13): 17 flows/s at c=1, 21 at c=8, 22 at c=32, 0 errors; goal ≥ 100/s.
 */
const SECONDS = 6;
const stack: TestStack = await startTestStack({ env: { LOG_LEVEL: 'warn', RATE_LIMIT: 'off' } });

async function flow(agent: BrowserAgent): Promise<void> {
  const started = await agent.trpc(stack.url).connect.oauth.start.mutate({ providerId: 'notion' });
  const consent = await agent.navigate(started.authorizationUrl);
  const landed = await agent.decide(consent.url, await consent.res.text(), 'allow');
  if (!landed.url.includes('status=completed') && !landed.url.includes('attempt=')) {
    throw new Error('flow did not complete');
  }
}

async function run(concurrency: number, seconds: number) {
  const agents = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const a = new BrowserAgent(stack.url);
      await a.demoLogin(stack.url);
      return a;
    }),
  );
  let done = 0;
  let errors = 0;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    agents.map(async (a) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await flow(a);
          done += 1;
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    rate: done / ((performance.now() - started) / 1000),
    errors,
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

await run(8, 4); // warm-up: V8 compiles the path
const results: [number, Awaited<ReturnType<typeof run>>][] = [];
for (const c of [1, 8, 32]) results.push([c, await run(c, SECONDS)]);
const rss = process.memoryUsage().rss / 1024 / 1024;

const line = (s: string) => process.stdout.write(`${s}\n`);
line('');
line(
  'connect flows under load (Notion, headless, SQLite file; server, mock and load in one process)',
);
for (const [c, r] of results) {
  line(
    `  c=${c}: ${r.rate.toFixed(1)} flows/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, ` +
      `${r.errors} errors (goal ≥ 100/s, 0 errors; before ${c === 1 ? 17 : c === 8 ? 21 : 22}/s)`,
  );
}
line(`  process RSS after the flows (server + mock + load): ${rss.toFixed(0)} MB`);

describe('connect flows under load', () => {
  afterAll(async () => stack.close());
  bench('(figures above)', () => undefined, { iterations: 1, time: 0, warmupIterations: 0 });
});
