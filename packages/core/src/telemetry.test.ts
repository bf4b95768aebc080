import { startMockProviders, type RunningMockProviders } from '@plugboard/mock-providers';
import { Connection } from '@plugboard/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCredentials } from './services/credentials-service';
import { handleOAuthCallback, startOAuth } from './services/oauth-flow';
import { createSession } from './services/sessions';
import type { Telemetry } from './telemetry';
import { consentAtMock, createTestDeps, ensureMockClient, type TestDeps } from './testing';

/** Zoom: expiring tokens with a rotating refresh token, so every refresh path is reachable. */
const PROVIDER = 'zoom';

type Event = { kind: keyof Telemetry } & Record<string, unknown>;

function recordingTelemetry(events: Event[]): Telemetry {
  return {
    connectFlowStarted: (e) => events.push({ kind: 'connectFlowStarted', ...e }),
    connectFlowFinished: (e) => events.push({ kind: 'connectFlowFinished', ...e }),
    refreshFinished: (e) => events.push({ kind: 'refreshFinished', ...e }),
    webhookAttempted: (e) => events.push({ kind: 'webhookAttempted', ...e }),
  };
}

describe('telemetry reported by the services', () => {
  let mock: RunningMockProviders;
  let t: TestDeps;
  let events: Event[];
  let connectionId: string;
  beforeAll(async () => {
    mock = await startMockProviders({ port: 0 });
  });
  afterAll(async () => mock.close());
  beforeEach(async () => {
    await fetch(`${mock.url}/__control/reset`, { method: 'POST' });
    t = await createTestDeps({ mockUrl: mock.url });
    events = [];
    t.deps.telemetry = recordingTelemetry(events);
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
    return () => t.close();
  });

  const fault = async (kind: 'error_500' | 'invalid_grant') => {
    const res = await fetch(`${mock.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: PROVIDER, endpoint: 'token', kind }),
    });
    expect(res.status).toBe(201);
  };
  const refresh = () => getCredentials(t.em(), t.deps, { connectionId, forceRefresh: true });
  const refreshes = () => events.filter((e) => e.kind === 'refreshFinished');

  it('reports a flow started and completed, with its duration and no ids', () => {
    expect(events.map((e) => e.kind)).toEqual(['connectFlowStarted', 'connectFlowFinished']);
    expect(events[0]).toEqual({
      kind: 'connectFlowStarted',
      providerId: PROVIDER,
      headless: false,
    });
    expect(events[1]).toMatchObject({
      providerId: PROVIDER,
      outcome: 'completed',
      errorCode: null,
    });
    expect(events[1]!.durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toMatch(/att_|conn_|user-1/);
  });

  it('reports a refused callback as rejected with its code', async () => {
    await handleOAuthCallback(t.em(), t.deps, {
      providerId: PROVIDER,
      query: { code: 'x', state: 'not-a-state-we-issued' },
      sessionId: null,
    });
    expect(events.at(-1)).toMatchObject({
      kind: 'connectFlowFinished',
      providerId: PROVIDER,
      outcome: 'rejected',
      errorCode: 'STATE_INVALID',
    });
  });

  it('reports each refresh by how it ended', async () => {
    expect((await refresh()).refreshed).toBe(true);
    t.clock.advance(11); // past the window in which a forced refresh reuses the last one
    await fault('error_500');
    await expect(refresh()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await fault('invalid_grant');
    await expect(refresh()).rejects.toMatchObject({ code: 'CONNECTION_NEEDS_REAUTH' });
    expect(refreshes().map((e) => e.outcome)).toEqual([
      'refreshed',
      'provider_unavailable',
      'needs_reauth',
    ]);
    for (const e of refreshes()) expect(e).toMatchObject({ providerId: PROVIDER });
  });

  it('reports nothing for a call answered without going to the provider', async () => {
    await getCredentials(t.em(), t.deps, { connectionId });
    expect(refreshes()).toEqual([]);
  });
});
