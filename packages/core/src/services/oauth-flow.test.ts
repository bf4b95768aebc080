import { startMockProviders, type RunningMockProviders } from '@plugboard/mock-providers';
import { AuthAttempt, Connection } from '@plugboard/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { consentAtMock, createTestDeps, ensureMockClient, type TestDeps } from '../testing';
import { handleOAuthCallback, startOAuth } from './oauth-flow';
import { createSession } from './sessions';

/** The mock's record of calls to a provider's endpoint (the count of real provider calls). */
async function providerCalls(mockUrl: string, provider: string, endpoint: string) {
  const res = await fetch(
    `${mockUrl}/__control/requests?provider=${provider}&endpoint=${endpoint}`,
  );
  return ((await res.json()) as { requests: unknown[] }).requests.length;
}

describe('OAuth state consumption', () => {
  let mock: RunningMockProviders;
  let t: TestDeps;
  beforeAll(async () => {
    mock = await startMockProviders({ port: 0 });
  });
  afterAll(async () => mock.close());
  beforeEach(async () => {
    await fetch(`${mock.url}/__control/reset`, { method: 'POST' });
    t = await createTestDeps({ mockUrl: mock.url });
    await ensureMockClient(mock.url, t.deps, 'notion');
    return () => t.close();
  });

  /** A started attempt whose consent was given: the callback query the browser would bring. */
  async function consentedCallback() {
    const { session } = await createSession(t.em(), t.deps, {
      externalUserId: 'user-1',
      allowedOrigins: [],
      demo: false,
    });
    const started = await startOAuth(t.em(), t.deps, session, { providerId: 'notion' });
    const query = await consentAtMock(started.authorizationUrl);
    return { session, query, attemptId: started.attemptId };
  }

  it('completes once when the same callback arrives twice at the same time', async () => {
    const { session, query, attemptId } = await consentedCallback();
    const callback = (tt: TestDeps) =>
      handleOAuthCallback(tt.em(), tt.deps, { providerId: 'notion', query, sessionId: session.id });

    // Two server instances on one database, each handling one of the two requests.
    const other = await t.join();
    const outcomes = await Promise.all([callback(t), callback(other)]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['completed', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')?.errorCode).toBe('STATE_USED');
    // Only the winner reached the provider's token endpoint.
    expect(await providerCalls(mock.url, 'notion', 'token')).toBe(1);
    const attempt = await t.em().findOneOrFail(AuthAttempt, { id: attemptId });
    expect(attempt.status).toBe('completed');
    expect(await t.em().count(Connection, {})).toBe(1);
  });

  it('of six concurrent replays on two instances exactly one consumes the attempt', async () => {
    const { session, query, attemptId } = await consentedCallback();
    const other = await t.join();
    const outcomes = await Promise.all(
      [t, other, t, other, t, other].map((tt) =>
        handleOAuthCallback(tt.em(), tt.deps, {
          providerId: 'notion',
          query,
          sessionId: session.id,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'completed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.errorCode === 'STATE_USED')).toHaveLength(5);
    expect(await providerCalls(mock.url, 'notion', 'token')).toBe(1);
    const attempt = await t.em().findOneOrFail(AuthAttempt, { id: attemptId });
    expect(attempt).toMatchObject({ status: 'completed', connectionId: expect.any(String) });
    expect(await t.em().count(Connection, {})).toBe(1);
  });

  it('a callback from another browser consumes nothing: the right one still completes', async () => {
    const { session, query } = await consentedCallback();
    const stranger = await handleOAuthCallback(t.em(), t.deps, {
      providerId: 'notion',
      query,
      sessionId: 'sess_someone_else',
    });
    expect(stranger).toMatchObject({ status: 'rejected', errorCode: 'STATE_INVALID' });
    const own = await handleOAuthCallback(t.em(), t.deps, {
      providerId: 'notion',
      query,
      sessionId: session.id,
    });
    expect(own.status).toBe('completed');
  });

  it('refuses a replay after completion without calling the provider again', async () => {
    const { session, query } = await consentedCallback();
    const args = { providerId: 'notion', query, sessionId: session.id };
    expect((await handleOAuthCallback(t.em(), t.deps, args)).status).toBe('completed');
    const replay = await handleOAuthCallback(t.em(), t.deps, args);
    expect(replay).toMatchObject({ status: 'rejected', errorCode: 'STATE_USED' });
    expect(await providerCalls(mock.url, 'notion', 'token')).toBe(1);
  });

  it('never logs the code or the state', async () => {
    const { session, query } = await consentedCallback();
    await handleOAuthCallback(t.em(), t.deps, {
      providerId: 'notion',
      query,
      sessionId: session.id,
    });
    const logged = JSON.stringify(t.logs);
    expect(logged).toContain('oauth attempt finished');
    expect(logged).not.toContain(String(query['code']));
    expect(logged).not.toContain(String(query['state']));
  });
});
