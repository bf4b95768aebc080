import { createPlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { bench, describe } from 'vitest';
import { BrowserAgent, startTestStack } from './testing';

/**
 * The API proxy's added latency: Notion's `POST /v1/search` on the mock called directly with
 * the access token, and the same call through `POST /v1/proxy/{id}/v1/search` (API-key check,
 * connection and credentials read, header rewrite, streaming both ways), side by side in one
 * run, one client at a time, kept-alive connections on loopback, SQLite file. Rounds alternate
 * direct / proxied so a drift of the shared machine hits both; figures are the medians of the
 * rounds' p50s. Goal (issue 11): added p50 ≤ 2 ms.
 */
const ROUNDS = 5;
const PER_ROUND = 300;
const WARMUP = 200;

const apiKey = newId('pk_');
const stack = await startTestStack({
  env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, LOG_LEVEL: 'warn', RATE_LIMIT: 'off' },
});
const browser = new BrowserAgent(stack.url);
await browser.demoLogin(stack.url);
const attempt = await browser.connect(stack.url, 'notion');
const connectionId = attempt.connection!.id;
const { accessToken } = await createPlugboardClient({
  url: stack.url,
  apiKey,
}).connections.credentials.mutate({ connectionId });

const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
const body = JSON.stringify({ query: 'road' });
const direct = () =>
  request(`${stack.mockUrl}/notion/v1/search`, {
    method: 'POST',
    dispatcher,
    headers: {
      authorization: `Bearer ${accessToken}`,
      'notion-version': '2025-09-03',
      'content-type': 'application/json',
    },
    body,
  });
const proxied = () =>
  request(`${stack.url}/v1/proxy/${connectionId}/v1/search`, {
    method: 'POST',
    dispatcher,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body,
  });

async function sample(call: typeof direct, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    const res = await call();
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    times.push(performance.now() - started);
  }
  return times;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);

await sample(direct, WARMUP);
await sample(proxied, WARMUP);
const rounds: { d50: number; p50: number; d99: number; p99: number }[] = [];
for (let r = 0; r < ROUNDS; r += 1) {
  const d = await sample(direct, PER_ROUND);
  const p = await sample(proxied, PER_ROUND);
  rounds.push({ d50: median(d), p50: median(p), d99: pct(d, 99), p99: pct(p, 99) });
}
await dispatcher.close();
await stack.close();

const d50 = median(rounds.map((r) => r.d50));
const p50 = median(rounds.map((r) => r.p50));
const added = median(rounds.map((r) => r.p50 - r.d50));
const ratio = median(rounds.map((r) => r.p50 / r.d50));
process.stdout.write(
  `\nAPI proxy vs direct (Notion POST /v1/search on the mock, 1 client, loopback, SQLite): ` +
    `direct p50 ${d50.toFixed(2)} ms (p99 ${median(rounds.map((r) => r.d99)).toFixed(2)}), ` +
    `proxied p50 ${p50.toFixed(2)} ms (p99 ${median(rounds.map((r) => r.p99)).toFixed(2)}) → ` +
    `added p50 ${added.toFixed(2)} ms, ×${ratio.toFixed(2)} (goal: added p50 ≤ 2 ms)\n`,
);

describe('API proxy overhead', () => {
  bench('(figures above: direct and proxied rounds, measured in this process)', () => undefined, {
    iterations: 1,
    time: 0,
    warmupIterations: 0,
  });
});
