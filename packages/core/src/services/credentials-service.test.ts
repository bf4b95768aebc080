import { startMockProviders, type RunningMockProviders } from '@plugboard/mock-providers';
import { Connection } from '@plugboard/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { consentAtMock, createTestDeps, ensureMockClient, type TestDeps } from '../testing';
import { getCredentials } from './credentials-service';
import { handleOAuthCallback, startOAuth } from './oauth-flow';
import { createSession } from './sessions';

/** Zoom rotates its refresh token, so a refresh token used twice is an error at the mock. */
const PROVIDER = 'zoom';

async function tokenCalls(mockUrl: string) {
  const res = await fetch(`${mockUrl}/__control/requests?provider=${PROVIDER}&endpoint=token`);
  return ((await res.json()) as { requests: unknown[] }).requests.length;
}

describe('refresh lease', () => {
  let mock: RunningMockProviders;
  let t: TestDeps;
  let connectionId: string;
  beforeAll(async () => {
    mock = await startMockProviders({ port: 0 });
  });
  afterAll(async () => mock.close());
  beforeEach(async () => {
    await fetch(`${mock.url}/__control/reset`, { method: 'POST' });
    t = await createTestDeps({ mockUrl: mock.url });
    await ensureMockClient(mock.url, t.deps, PROVIDER);
    const { session } = await createSession(t.em(), t.deps, {
      externalUserId: 'user-1',
      allowedOrigins: [],
      demo: false,
    });
    const started = await startOAuth(t.em(), t.deps, session, { providerId: PROVIDER });
    const query = await consentAtMock(started.authorizationUrl);
    const outcome = await handleOAuthCallback(t.em(), t.deps, {
      providerId: PROVIDER,
      query,
      sessionId: session.id,
    });
    expect(outcome.status).toBe('completed');
    connectionId = (await t.em().findOneOrFail(Connection, { providerId: PROVIDER })).id;
    expect(await tokenCalls(mock.url)).toBe(1); // the code exchange
    return () => t.close();
  });

  const refresh = (tt: TestDeps) =>
    getCredentials(tt.em(), tt.deps, { connectionId, forceRefresh: true });

  it('two processes refreshing at once make one provider call and get the same token', async () => {
    const other = await t.join();
    const [a, b] = await Promise.all([refresh(t), refresh(other)]);

    expect(await tokenCalls(mock.url)).toBe(2);
    expect(a.accessToken).toBe(b.accessToken);
    expect([a.refreshed, b.refreshed].sort()).toEqual([false, true]);
    const row = await t.em().findOneOrFail(Connection, { id: connectionId });
    expect(row).toMatchObject({ version: 2, status: 'active', refreshLeaseUntil: null });
  });

  it('concurrent calls in one process share one refresh', async () => {
    const results = await Promise.all([refresh(t), refresh(t), refresh(t)]);
    expect(await tokenCalls(mock.url)).toBe(2);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });

  it('takes over a lease left behind once it expires, and not before', async () => {
    // A process took the lease and died before calling the provider.
    const now = t.clock.now();
    await t
      .em()
      .nativeUpdate(
        Connection,
        { id: connectionId },
        { refreshLeaseUntil: new Date(now.getTime() + 60_000) },
      );
    const other = await t.join();
    const pending = refresh(other);
    await new Promise((r) => setTimeout(r, 300));
    expect(await tokenCalls(mock.url)).toBe(1); // still waiting for the lease holder

    t.clock.advance(61);
    const result = await pending;
    expect(result.refreshed).toBe(true);
    expect(await tokenCalls(mock.url)).toBe(2);
    const row = await t.em().findOneOrFail(Connection, { id: connectionId });
    expect(row).toMatchObject({ version: 2, refreshLeaseUntil: null });
  });
});
