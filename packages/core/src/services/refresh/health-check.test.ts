import { startMockProviders, type RunningMockProviders } from '@plugboard/mock-providers';
import { AuditEntry, Connection } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentAtMock,
  createTestDeps,
  ensureMockClient,
  testClient,
  type TestDeps,
} from '../../testing';
import { openCredentials } from '../credentials';
import { handleOAuthCallback, startOAuth } from '../oauth-flow';
import { createSession } from '../sessions';
import { connectWithTypedCredentials } from '../typed-credentials';
import { checkNonExpiringTokens } from './health-check';

/** Notion's access tokens never expire: only the daily identity check notices a revocation. */
describe('health check of tokens that never expire', () => {
  let mock: RunningMockProviders;
  let t: TestDeps;
  let id: string;
  beforeAll(async () => {
    mock = await startMockProviders({ port: 0 });
    t = await createTestDeps({ mockUrl: mock.url });
    await ensureMockClient(mock.url, t.deps, 'notion');
    const { session } = await createSession(t.em(), t.deps, {
      externalUserId: 'user-1',
      allowedOrigins: [],
      demo: false,
    });
    const started = await startOAuth(t.em(), t.deps, session, { providerId: 'notion' });
    const query = await consentAtMock(started.authorizationUrl);
    await handleOAuthCallback(t.em(), t.deps, {
      providerId: 'notion',
      query,
      sessionId: session.id,
    });
    const row = await t.em().findOneOrFail(Connection, { providerId: 'notion' });
    expect(row.accessTokenExpiresAt).toBeNull();
    id = row.id;
  });
  afterAll(async () => {
    await t?.close();
    await mock?.close();
  });

  const identityCalls = async () =>
    (
      (await (
        await fetch(`${mock.url}/__control/requests?provider=notion&endpoint=identity`)
      ).json()) as { requests: unknown[] }
    ).requests.length;
  const row = () => t.em().findOneOrFail(Connection, { id });
  const makeDue = () =>
    t
      .em()
      .nativeUpdate(
        Connection,
        { id },
        { healthCheckDueAt: new Date(t.clock.now().getTime() - 1000) },
      );

  it('spreads new connections over the next day, then checks each at most once a day', async () => {
    const before = await identityCalls();
    expect(await checkNonExpiringTokens(t.em(), t.deps)).toMatchObject({ scheduled: 1 });
    const due = (await row()).healthCheckDueAt!.getTime() - t.clock.now().getTime();
    expect(due).toBeGreaterThanOrEqual(0);
    expect(due).toBeLessThan(24 * 3600_000);

    await makeDue();
    expect(await checkNonExpiringTokens(t.em(), t.deps)).toMatchObject({ checked: 1, gone: 0 });
    expect(await identityCalls()).toBe(before + 1);
    expect((await row()).status).toBe('active');
    // Checked: the next one is a day away, and another run now calls nothing.
    expect((await row()).healthCheckDueAt!.getTime()).toBe(t.clock.now().getTime() + 24 * 3600_000);
    expect(await checkNonExpiringTokens(t.em(), t.deps)).toMatchObject({ checked: 0 });
    expect(await identityCalls()).toBe(before + 1);
  });

  it('a 5xx or a timeout is inconclusive: the connection stays active', async () => {
    await fetch(`${mock.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', endpoint: 'identity', kind: 'error_500' }),
    });
    await makeDue();
    expect(await checkNonExpiringTokens(t.em(), t.deps)).toMatchObject({
      checked: 1,
      inconclusive: 1,
      gone: 0,
    });
    expect((await row()).status).toBe('active');
    await fetch(`${mock.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', endpoint: 'identity', kind: 'timeout' }),
    });
    await makeDue();
    expect(await checkNonExpiringTokens(t.em(), t.deps, { timeoutMs: 300 })).toMatchObject({
      inconclusive: 1,
      gone: 0,
    });
    expect((await row()).status).toBe('active');
  });

  it('a token the user revoked at the provider (401) marks the connection needs_reauth', async () => {
    const tokens = openCredentials(t.deps.keyring, id, (await row()).credentialsEnc);
    const { clientId, clientSecret } = testClient('notion');
    const revoked = await fetch(`${mock.url}/notion/v1/oauth/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: JSON.stringify({ token: tokens.accessToken }),
    });
    expect(revoked.status).toBe(200);
    await makeDue();
    expect(await checkNonExpiringTokens(t.em(), t.deps)).toMatchObject({ checked: 1, gone: 1 });
    expect((await row()).status).toBe('needs_reauth');
    const audit = await t
      .em()
      .find(AuditEntry, { connectionId: id, action: 'connection.needs_reauth' });
    expect(audit).toHaveLength(1);
  });

  it('a connection whose mode has no daily check (a typed API key) is never called', async () => {
    const issued = await fetch(`${mock.url}/__control/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion-internal' }),
    });
    const { values } = (await issued.json()) as { values: Record<string, string> };
    const { session } = await createSession(t.em(), t.deps, {
      externalUserId: 'user-2',
      allowedOrigins: [],
      demo: false,
    });
    await connectWithTypedCredentials(t.em(), t.deps, session, {
      providerId: 'notion-internal',
      values,
    });
    const key = await t.em().findOneOrFail(Connection, { providerId: 'notion-internal' });
    expect(key.accessTokenExpiresAt).toBeNull();
    await t
      .em()
      .nativeUpdate(
        Connection,
        { id: key.id },
        { healthCheckDueAt: new Date(t.clock.now().getTime() - 1000) },
      );
    const calls = async () =>
      ((await (await fetch(`${mock.url}/__control/requests`)).json()) as { requests: unknown[] })
        .requests.length;
    const before = await calls();
    expect(await checkNonExpiringTokens(t.em(), t.deps)).toMatchObject({ checked: 0, gone: 0 });
    expect(await calls()).toBe(before);
    expect((await t.em().findOneOrFail(Connection, { id: key.id })).status).toBe('active');
  });
});
