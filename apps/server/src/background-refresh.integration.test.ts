import { createPlugboardClient, type PlugboardClient } from '@plugboard/client';
import {
  ManualClock,
  newId,
  openCredentials,
  RefreshScheduler,
  sealCredentials,
  type RefreshSchedulerOptions,
} from '@plugboard/core';
import { Connection } from '@plugboard/db';
import type { ProviderId } from '@plugboard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * The background refresh (packages/core/src/services/refresh/scheduler.ts) against the mock over
 * real HTTP, on SQLite and PostgreSQL: its pool bound holds at the provider, a hanging provider
 * does not hold back another, Retry-After pauses a provider, failed rows leave the head of the
 * queue, and two instances share the due rows without refreshing any twice. Behaviour, not
 * timing: `refresh.bench.ts` measures throughput and lateness.
 */
const databases = testDatabases(inject('postgresUrl'));
const PER_PROVIDER = 6;

describe.each(databases)('background refresh on %s', (_db, database) => {
  const apiKey = newId('pk_');
  const clock = new ManualClock();
  let stack: TestStack;
  let plugboard: PlugboardClient;
  const ids: Record<'zoom' | 'calendly', string[]> = { zoom: [], calendly: [] };

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      clock,
      // Hanging calls end fast, and the server's own loop stays out of the way of these counts.
      providerTimeoutMs: 4000,
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, REFRESH_POLL_MS: '0' },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    for (const providerId of ['zoom', 'calendly'] as const) {
      for (let i = 0; i < PER_PROVIDER; i++) {
        // One provider user per connection, as in production. Zoom ends a user's previous grant
        // when they authorize again; Calendly issues a user at most 8 tokens a minute (code
        // exchanges and refreshes), which six connections of one user would exceed here.
        const account =
          providerId === 'zoom'
            ? { id: `zUser${i}0000000000000Q1`, email: `user${i}@acme.example` }
            : {
                userUuid: `c41e0d1a-0ada-4c0d-9e1a-ca100000010${i}`,
                email: `user${i}@acme.example`,
              };
        expect((await control('accounts', { provider: providerId, account })).status).toBe(200);
        const link = await plugboard.connectTokens.create.mutate({
          externalUserId: `${providerId}-user-${i}`,
        });
        const browser = new BrowserAgent(stack.url);
        await browser.navigate(link.connectLinkUrl);
        const attempt = await browser.connect(stack.url, providerId as ProviderId);
        expect(attempt.status).toBe('completed');
        ids[providerId].push(attempt.connection!.id);
      }
    }
  });
  afterAll(async () => stack?.close());

  const control = (path: string, body: unknown) =>
    fetch(`${stack.mockUrl}/__control/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const tokenCalls = async (provider: string) =>
    (
      (await (
        await fetch(`${stack.mockUrl}/__control/requests?provider=${provider}&endpoint=token`)
      ).json()) as { requests: { status: number | null }[] }
    ).requests;
  const rows = async (providerId: string) =>
    stack.orm.em.fork().find(Connection, { providerId }, { orderBy: { id: 'asc' } });

  /** Every test starts with all twelve connections due: tokens expiring within 5 minutes. */
  beforeEach(async () => {
    // Past the window in which a refresh just done is returned instead of refreshing again.
    clock.advance(15);
    const em = stack.orm.em.fork();
    const keyring = stack.server.deps.keyring;
    for (const row of await em.find(Connection, {})) {
      const soon = new Date(clock.now().getTime() + 5 * 60_000);
      const tokens = openCredentials(keyring, row.id, row.credentialsEnc);
      row.credentialsEnc = sealCredentials(keyring, row.id, { ...tokens, expiresAt: soon });
      row.accessTokenExpiresAt = soon;
      row.refreshNotBefore = null;
      row.refreshFailures = 0;
      row.status = 'active';
    }
    await em.flush();
  });

  /** A scheduler as an instance's loop runs it: every settled refresh dispatches again. */
  const scheduler = (opts: Partial<RefreshSchedulerOptions>, instance = stack) => {
    const s: RefreshScheduler = new RefreshScheduler(
      () => instance.orm.em.fork(),
      instance.server.deps,
      opts,
      () => void s.dispatch(),
    );
    return s;
  };

  it('never has more refreshes in flight than its bounds, and a hanging provider does not hold back another', async () => {
    // Zoom's token endpoint hangs (until the client's timeout); Calendly answers.
    await control('faults', { provider: 'zoom', endpoint: 'token', kind: 'timeout', count: 2 });
    const zoomBefore = (await tokenCalls('zoom')).length;
    const calendlyBefore = (await tokenCalls('calendly')).length;
    const s = scheduler({ concurrency: 4, perProvider: 2 });
    expect(await s.dispatch()).toBe(4);
    await new Promise((r) => setTimeout(r, 300));
    // At the provider: exactly two Zoom calls hang, not six.
    expect((await tokenCalls('zoom')).length - zoomBefore).toBe(2);

    // Calendly's six are all refreshed while Zoom's first two still hang.
    const deadline = Date.now() + 10_000;
    while ((await rows('calendly')).some((r) => r.version < 2) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await rows('calendly')).every((r) => r.version >= 2)).toBe(true);
    // … while Zoom's two still hang: none of them has failed yet, nothing else went to Zoom.
    expect((await rows('zoom')).every((r) => r.refreshFailures === 0)).toBe(true);
    expect(s.inFlight).toBe(2);
    expect((await tokenCalls('calendly')).length - calendlyBefore).toBe(PER_PROVIDER);
    expect((await tokenCalls('zoom')).length - zoomBefore).toBe(2);

    await s.close();
    // The two hung Zoom rows failed and back off; they no longer sit at the head of the queue.
    const zoom = await rows('zoom');
    const failed = zoom.filter((r) => r.refreshFailures === 1);
    expect(failed).toHaveLength(2);
    for (const r of failed) {
      expect(r.refreshNotBefore!.getTime()).toBeGreaterThan(clock.now().getTime() + 10_000);
      expect(r.version).toBe(1);
    }
  });

  it('pauses a provider for its Retry-After and resumes after it', async () => {
    await control('faults', {
      provider: 'zoom',
      endpoint: 'token',
      kind: 'rate_limit',
      count: 1,
      retryAfterSeconds: 120,
    });
    const zoomBefore = (await tokenCalls('zoom')).length;
    const s = scheduler({ concurrency: 1, perProvider: 1 });
    await s.drain();
    // One 429, then nothing more to Zoom inside the pause; Calendly went on.
    expect((await tokenCalls('zoom')).length - zoomBefore).toBe(1);
    expect((await rows('calendly')).every((r) => r.version >= 2)).toBe(true);
    const limited = (await rows('zoom')).find((r) => r.refreshFailures === 1)!;
    expect(limited.refreshNotBefore!.getTime()).toBeGreaterThanOrEqual(
      clock.now().getTime() + 120_000,
    );

    clock.advance(121);
    await s.drain();
    expect((await tokenCalls('zoom')).length - zoomBefore).toBe(1 + PER_PROVIDER);
    const zoom = await rows('zoom');
    expect(zoom.every((r) => r.status === 'active' && r.refreshFailures === 0)).toBe(true);
    expect(zoom.filter((r) => r.refreshNotBefore === null)).toHaveLength(1);
    await s.close();
  });

  it('two instances share the due rows and refresh each exactly once', async () => {
    const other = await startTestStack({
      joining: stack,
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, REFRESH_POLL_MS: '0' },
    });
    try {
      const before = (await tokenCalls('zoom')).length + (await tokenCalls('calendly')).length;
      const versions = new Map(
        [...(await rows('zoom')), ...(await rows('calendly'))].map((r) => [r.id, r.version]),
      );
      const a = scheduler({ concurrency: 2, perProvider: 2 });
      const b = scheduler({ concurrency: 2, perProvider: 2 }, other);
      const [sa, sb] = await Promise.all([a.drain(), b.drain()]);
      const after = (await tokenCalls('zoom')).length + (await tokenCalls('calendly')).length;
      expect(after - before).toBe(2 * PER_PROVIDER);
      expect(sa.started + sb.started).toBe(2 * PER_PROVIDER);
      expect(sa.refreshed + sb.refreshed).toBe(2 * PER_PROVIDER);
      expect(sa.started).toBeGreaterThan(0);
      expect(sb.started).toBeGreaterThan(0);
      for (const r of [...(await rows('zoom')), ...(await rows('calendly'))]) {
        expect(r.version).toBe(versions.get(r.id)! + 1);
      }
      await Promise.all([a.close(), b.close()]);
    } finally {
      await other.close();
    }
  });
});
