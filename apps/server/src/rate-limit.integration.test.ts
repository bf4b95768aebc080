import { ensureApiKey, newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './testing';

/** A server-API call as a host backend makes it, with its API key. */
const apiCall = (stack: TestStack, apiKey: string) =>
  fetch(`${stack.url}/trpc/server.webhooks.list`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });

const limitHeaders = (res: Response) => ({
  limit: res.headers.get('ratelimit-limit'),
  remaining: res.headers.get('ratelimit-remaining'),
  reset: res.headers.get('ratelimit-reset'),
});

describe('rate limits with the default budgets', () => {
  let stack: TestStack;
  const keys = [newId('pk_'), newId('pk_')];
  beforeAll(async () => {
    stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: keys[0]! } });
    await ensureApiKey(stack.orm.em.fork(), keys[1]!, 'second backend');
  });
  afterAll(async () => stack?.close());

  it('puts limit headers on browser and server-API responses, each with its own budget', async () => {
    const browser = await fetch(`${stack.url}/healthz`);
    expect(limitHeaders(browser)).toEqual({ limit: '600', remaining: '599', reset: '60' });
    const again = await fetch(`${stack.url}/trpc/connect.session.me`);
    expect(limitHeaders(again)).toMatchObject({ limit: '600', remaining: '598' });
    const api = await apiCall(stack, keys[0]!);
    expect(api.status).toBe(200);
    expect(limitHeaders(api)).toEqual({ limit: '3000', remaining: '2999', reset: '60' });
    expect(api.headers.get('retry-after')).toBeNull();
  });

  it('one address with two API keys is not throttled by the browser budget (600 a minute)', async () => {
    const statuses: number[] = [];
    // 2 × 310 calls from 127.0.0.1: more than the per-IP budget, each key well within its own.
    for (let i = 0; i < 31; i++) {
      const batch = await Promise.all(
        keys.flatMap((k) => Array.from({ length: 10 }, () => apiCall(stack, k))),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(limitHeaders(await apiCall(stack, keys[1]!))).toMatchObject({
      limit: '3000',
      remaining: String(3000 - 311),
    });
    // The browser budget of this address is untouched by them.
    expect(limitHeaders(await fetch(`${stack.url}/healthz`))).toMatchObject({
      limit: '600',
      remaining: '597',
    });
  });
});

describe('rate limits with configured budgets', () => {
  let stack: TestStack;
  const keys = [newId('pk_'), newId('pk_')];
  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        PLUGBOARD_BOOTSTRAP_API_KEY: keys[0]!,
        RATE_LIMIT_PER_API_KEY: '5',
        RATE_LIMIT_PER_IP: '8',
      },
    });
    await ensureApiKey(stack.orm.em.fork(), keys[1]!, 'second backend');
  });
  afterAll(async () => stack?.close());

  it('a key that spends its budget gets 429 with limit headers and Retry-After; others go on', async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await apiCall(stack, keys[0]!);
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    const limited = await apiCall(stack, keys[0]!);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    const headers = limitHeaders(limited);
    expect(headers).toMatchObject({ limit: '5', remaining: '0' });
    expect(Number(headers.reset)).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBe(Number(headers.reset));

    // The other key of the same backend address, and browsers there, are not affected.
    expect((await apiCall(stack, keys[1]!)).status).toBe(200);
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
  });

  it('made-up keys are counted per address, so they buy no fresh budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await apiCall(stack, newId('pk_'))).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 401)).toBe(true);
  });
});
