import { newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_CASES } from '../proxy-cases';
import {
  BrowserAgent,
  mockControl,
  parseExposition,
  sampleValue,
  startTestStack,
  type TestStack,
} from '../testing';

/**
 * The API proxy's series (observability/proxy-metrics.ts) read from GET /metrics over real HTTP
 * after proxied calls to the mock's HubSpot: a success, a 401 refreshed and retried (counted once,
 * as the 2xx the caller got), a 429 passed through, a second 401 answered by Plugboard itself
 * (CONNECTION_NEEDS_REAUTH), and an unknown connection (no provider to name).
 */
describe('proxy metrics', () => {
  const apiKey = newId('pk_');
  const hubspot = PROXY_CASES.find((c) => c.id === 'hubspot')!;
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      env: { METRICS: 'on', PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, RATE_LIMIT: 'off' },
    });
  });
  afterAll(async () => stack?.close());

  const control = (path: string, body: unknown) => mockControl(stack.mockUrl, path, body);
  const proxy = async (connectionId: string) => {
    const res = await fetch(`${stack.url}/v1/proxy/${connectionId}/${hubspot.call.path}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
  };
  const metrics = async () => {
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  };

  it('counts calls by provider, status class and error code, with their durations', async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    const attempt = await agent.connect(stack.url, 'hubspot');
    const id = attempt.connection!.id;

    expect((await proxy(id)).status).toBe(200);
    await control('hubspot/data/faults', { kind: 'unauthorized', count: 1 });
    expect((await proxy(id)).status).toBe(200); // refreshed, retried
    await control('faults', { provider: 'hubspot', endpoint: 'data', kind: 'rate_limit' });
    expect((await proxy(id)).status).toBe(429);
    await control('hubspot/data/faults', { kind: 'unauthorized', count: 2 });
    const dead = await proxy(id);
    expect([dead.status, dead.body.error?.code]).toEqual([409, 'CONNECTION_NEEDS_REAUTH']);
    const unknown = await proxy(newId('conn_'));
    expect(unknown.status).toBe(404);
    const unknownCode = unknown.body.error!.code;

    const samples = await metrics();
    const calls = (provider: string, status: string, errorCode: string) =>
      sampleValue(samples, 'plugboard_proxy_requests_total', {
        provider,
        status,
        error_code: errorCode,
      });
    expect({
      ok: calls('hubspot', '2xx', 'none'),
      limited: calls('hubspot', '4xx', 'none'),
      reauth: calls('hubspot', '4xx', 'CONNECTION_NEEDS_REAUTH'),
      unknown: calls('unknown', '4xx', unknownCode),
    }).toEqual({ ok: 2, limited: 1, reauth: 1, unknown: 1 });
    // Nothing else was counted: five calls, five durations.
    const all = samples.filter((s) => s.name === 'plugboard_proxy_requests_total');
    expect(all.reduce((n, s) => n + s.value, 0)).toBe(5);
    const durations = samples.filter(
      (s) => s.name === 'plugboard_proxy_request_duration_seconds_count',
    );
    expect(durations.reduce((n, s) => n + s.value, 0)).toBe(5);
    // Labels carry no ids.
    expect(JSON.stringify(all)).not.toContain(id);
  });
});
