import { createPlugboardClient } from '@plugboard/client';
import { deliverDueWebhooks, ManualClock, newId } from '@plugboard/core';
import { Connection } from '@plugboard/db';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  BrowserAgent,
  parseExposition,
  sampleValue,
  startTestStack,
  testDatabases,
  type Sample,
  type TestStack,
} from '../testing';

/**
 * GET /metrics over real HTTP: off unless METRICS=on, guarded by METRICS_TOKEN, and the values
 * after a scripted Notion connection, a refresh and a webhook delivery — with no id, URL or
 * secret in any label.
 */

const TOKEN = 'metrics-token-0123456789abcdef';

async function startReceiver() {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hooks`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('/metrics switches', () => {
  it('is not there by default (404)', async () => {
    const stack = await startTestStack();
    try {
      const res = await fetch(`${stack.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('plugboard_');
    } finally {
      await stack.close();
    }
  });

  it('with METRICS_TOKEN answers 401 without the Bearer token and 200 with it', async () => {
    const stack = await startTestStack({ env: { METRICS: 'on', METRICS_TOKEN: TOKEN } });
    try {
      const none = await fetch(`${stack.url}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe(
        'UNAUTHENTICATED',
      );
      for (const wrong of [`Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, TOKEN, 'Bearer ']) {
        const res = await fetch(`${stack.url}/metrics`, { headers: { authorization: wrong } });
        expect(res.status, wrong).toBe(401);
        expect(await res.text()).not.toContain('plugboard_');
      }
      const ok = await fetch(`${stack.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      const samples = parseExposition(await ok.text());
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.every((s) => s.name.startsWith('plugboard_'))).toBe(true);
    } finally {
      await stack.close();
    }
  });

  it('refuses a METRICS_TOKEN too short to be a secret', async () => {
    await expect(
      startTestStack({ env: { METRICS: 'on', METRICS_TOKEN: 'short' } }),
    ).rejects.toThrow(/METRICS_TOKEN/);
  });
});

const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('/metrics values on %s', (_db, database) => {
  const apiKey = newId('pk_');
  const clock = new ManualClock();
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      clock,
      env: { METRICS: 'on', PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, WEBHOOK_POLL_MS: '0' },
      ...(db ? { database: db } : {}),
    });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  const scrape = async (): Promise<{ text: string; samples: Sample[] }> => {
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    return { text, samples: parseExposition(text) };
  };

  it('counts a Notion flow, a refresh and a webhook delivery, with bounded labels only', async () => {
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    await plugboard.webhooks.create.mutate({ url: receiver.url });

    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    const attempt = await agent.connect(stack.url, 'notion');
    expect(attempt.status).toBe('completed');
    const connectionId = attempt.connection!.id;
    // Two callbacks refused before any attempt: a forged state, and a provider that does not exist.
    const forged = 'forged-state-value-0123456789';
    const secretCode = 'secret-code-value-0123456789';
    for (const path of ['notion', 'no-such-provider-7f3a']) {
      const res = await agent.fetch(
        `${stack.url}/oauth/callback/${path}?code=${secretCode}&state=${forged}`,
      );
      expect(res.status).toBe(303);
    }

    let { samples } = await scrape();
    expect(
      sampleValue(samples, 'plugboard_connect_flows_started_total', {
        provider: 'notion',
        kind: 'connect_ui',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_connect_flows_total', {
        provider: 'notion',
        outcome: 'completed',
        error_code: 'none',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_connect_flows_total', {
        provider: 'notion',
        outcome: 'rejected',
        error_code: 'STATE_INVALID',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_connect_flows_total', {
        provider: 'unknown',
        outcome: 'rejected',
        error_code: 'PROVIDER_UNKNOWN',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_oauth_callback_duration_seconds_count', {
        provider: 'notion',
        outcome: 'completed',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_oauth_callback_duration_seconds_sum', {
        provider: 'notion',
        outcome: 'completed',
      }),
    ).toBeGreaterThan(0);
    for (const operation of ['token_exchange', 'api']) {
      // Notion's identity call is its own (GET /v1/users/me), counted as `api`.
      expect(
        sampleValue(samples, 'plugboard_provider_request_duration_seconds_count', {
          provider: 'notion',
          operation,
          status: '2xx',
        }),
        operation,
      ).toBe(1);
    }
    expect(
      sampleValue(samples, 'plugboard_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/oauth/callback/:providerId',
        status_code: '303',
      }),
    ).toBe(3);
    // The connection.created event waits in the outbox.
    expect(sampleValue(samples, 'plugboard_webhook_backlog')).toBe(1);

    // Delivered 30 s after the event was written (the clock is the server's).
    clock.advance(30);
    expect(sampleValue((await scrape()).samples, 'plugboard_webhook_oldest_due_seconds')).toBe(30);
    expect(await deliverDueWebhooks(stack.orm.em.fork(), stack.server.deps)).toBe(1);

    const creds = await plugboard.connections.credentials.mutate({
      connectionId: connectionId as `conn_${string}`,
      forceRefresh: true,
    });
    expect(creds.refreshed).toBe(true);

    ({ samples } = await scrape());
    expect(
      sampleValue(samples, 'plugboard_webhook_deliveries_total', { outcome: 'delivered' }),
    ).toBe(1);
    expect(sampleValue(samples, 'plugboard_webhook_delivery_lag_seconds_count')).toBe(1);
    expect(sampleValue(samples, 'plugboard_webhook_delivery_lag_seconds_sum')).toBe(30);
    expect(
      sampleValue(samples, 'plugboard_webhook_delivery_lag_seconds_bucket', { le: '15' }),
    ).toBe(0);
    expect(
      sampleValue(samples, 'plugboard_webhook_delivery_lag_seconds_bucket', { le: '60' }),
    ).toBe(1);
    expect(sampleValue(samples, 'plugboard_webhook_backlog')).toBe(0);
    expect(
      sampleValue(samples, 'plugboard_refreshes_total', {
        provider: 'notion',
        outcome: 'refreshed',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_refresh_duration_seconds_count', {
        provider: 'notion',
        outcome: 'refreshed',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_provider_request_duration_seconds_count', {
        provider: 'notion',
        operation: 'refresh',
        status: '2xx',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'plugboard_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/trpc/:path',
        status_code: '200',
      }),
    ).toBeGreaterThanOrEqual(2);
    // The credentials call has its own lean route (routes/trpc-lean.ts): a fixed path, no id.
    expect(
      sampleValue(samples, 'plugboard_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/trpc/server.connections.credentials',
        status_code: '200',
      }),
    ).toBe(1);

    // The refresh queue follows the token's expiry on the server's clock. Notion's tokens do not
    // expire; Linear's last a day.
    const linear = await agent.connect(stack.url, 'linear');
    expect(linear.status).toBe('completed');
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: linear.connection!.id });
    const expiresInS = (row.accessTokenExpiresAt!.getTime() - clock.now().getTime()) / 1000;
    expect(expiresInS).toBeGreaterThan(600);
    const depth = (s: Sample[]) => ({
      due: sampleValue(s, 'plugboard_refresh_queue_depth', { state: 'due' }),
      overdue: sampleValue(s, 'plugboard_refresh_queue_depth', { state: 'overdue' }),
    });
    expect(depth((await scrape()).samples)).toEqual({ due: 0, overdue: 0 });
    clock.advance(expiresInS - 300);
    expect(depth((await scrape()).samples)).toEqual({ due: 1, overdue: 0 });
    clock.advance(301);
    const last = await scrape();
    expect(depth(last.samples)).toEqual({ due: 0, overdue: 1 });

    // Labels come from bounded sets: no id, URL, query or secret became a label value.
    const values = last.samples.flatMap((s) => Object.values(s.labels));
    for (const secret of [
      connectionId,
      linear.connection!.id,
      attempt.id,
      forged,
      secretCode,
      apiKey,
      'no-such',
    ]) {
      expect(last.text).not.toContain(secret);
    }
    for (const value of values) {
      expect(value).not.toMatch(/\?|=|(?:conn|att|ctok|pk|whe|whd)_[A-Za-z0-9]/);
    }
    const routes = new Set(
      last.samples.filter((s) => s.labels.route !== undefined).map((s) => s.labels.route!),
    );
    expect([...routes].every((r) => r === 'unmatched' || r.startsWith('/'))).toBe(true);
    expect(last.samples.every((s) => s.name.startsWith('plugboard_'))).toBe(true);
  });
});
