/**
 * The full headless connect flow as a load (connect-flows.bench.ts): each of N end users in a
 * loop runs start (tRPC) → mock consent → Allow → callback → result redirect over real HTTP on
 * loopback. The server under load runs in its own process (./target.ts, via ./load.ts), the mock
 * providers and the load in this one, so the server's CPU per flow is its own (read from /proc).
 */
import { startMockProviders } from '@plugboard/mock-providers';
import { loadEnv } from '../env';
import { generateKeySpec } from '@plugboard/core';
import { BrowserAgent } from '../testing';
import { median, processCpuMs } from './load';

export interface FlowResult {
  rate: number;
  errors: number;
  p50: number;
  p99: number;
  /** Server process CPU (user + system) per completed flow, ms. */
  cpuMsPerFlow: number;
}

/** The environment of a server under the flow load on `port`, its data in `dataDir`. */
export function flowServerEnv(port: number, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT: 'off',
    WEBHOOK_POLL_MS: '0',
    PLUGBOARD_ENCRYPTION_KEYS: generateKeySpec('bench1'),
  };
}

/** Mock providers with every mock-mode client registered for each server's callback URLs. */
export async function startFlowMock(env: Record<string, string>, serverUrls: string[]) {
  const mock = await startMockProviders({ port: 0, host: '127.0.0.1' });
  const parsed = loadEnv({ ...env, MOCK_PROVIDERS_URL: mock.url });
  for (const [provider, integration] of Object.entries(parsed.integrations)) {
    if (integration.mode !== 'mock') continue;
    const res = await fetch(`${mock.url}/__control/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider,
        clientId: integration.clientId,
        clientSecret: integration.clientSecret,
        redirectUris: serverUrls.map((base) => `${base}/oauth/callback/${provider}`),
      }),
    });
    await res.body?.cancel();
  }
  return mock;
}

async function flow(url: string, agent: BrowserAgent): Promise<void> {
  const started = await agent.trpc(url).connect.oauth.start.mutate({ providerId: 'notion' });
  const consent = await agent.navigate(started.authorizationUrl);
  const landed = await agent.decide(consent.url, await consent.res.text(), 'allow');
  await landed.res.body?.cancel();
  if (!landed.url.includes('attempt=') || landed.url.includes('error=')) {
    throw new Error('flow did not complete');
  }
}

/** `concurrency` demo users, each running flows back to back for `seconds`. */
export async function runFlows(
  target: { url: string; pid: number },
  concurrency: number,
  seconds: number,
): Promise<FlowResult> {
  const agents = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const a = new BrowserAgent(target.url);
      await a.demoLogin(target.url);
      return a;
    }),
  );
  let done = 0;
  let errors = 0;
  const latencies: number[] = [];
  const cpu0 = processCpuMs(target.pid);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    agents.map(async (a) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await flow(target.url, a);
          done += 1;
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = processCpuMs(target.pid) - cpu0;
  latencies.sort((x, y) => x - y);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    rate: done / elapsed,
    errors,
    p50: pct(0.5),
    p99: pct(0.99),
    cpuMsPerFlow: done ? cpu / done : 0,
  };
}

/** `median [min–max]` over rounds (just the figure for one round). */
function spread(xs: number[], digits: number): string {
  const f = (x: number) => x.toFixed(digits);
  if (xs.length === 1) return f(xs[0]!);
  return `${f(median(xs))} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]`;
}

/**
 * One report line for the rounds at one concurrency: flows/s, latency, errors (summed) and the
 * server's CPU per flow, each as median [min–max over the rounds]; with `goal`, whether the
 * worst round met ≥ 100 flows/s with 0 errors.
 */
export function flowReportLine(
  concurrency: number,
  rs: readonly FlowResult[],
  goal = false,
): string {
  const errors = rs.reduce((n, r) => n + r.errors, 0);
  const verdict =
    Math.min(...rs.map((r) => r.rate)) >= GOAL_FLOWS_PER_S && errors === 0 ? 'met' : 'missed';
  return (
    `c=${concurrency}: ${spread(
      rs.map((r) => r.rate),
      1,
    )} flows/s${rs.length > 1 ? ` (${rs.length} rounds)` : ''}, ` +
    `p50 ${spread(
      rs.map((r) => r.p50),
      0,
    )} ms, p99 ${spread(
      rs.map((r) => r.p99),
      0,
    )} ms, ${errors} errors, ` +
    `server CPU ${spread(
      rs.map((r) => r.cpuMsPerFlow),
      1,
    )} ms/flow` +
    (goal && concurrency > 1
      ? `; goal ≥ ${GOAL_FLOWS_PER_S}/s in every round with 0 errors: ${verdict}`
      : '')
  );
}

export const GOAL_FLOWS_PER_S = 100;
