import { plugboardErrorCode } from '@plugboard/client';
import { AuthAttempt, Connection } from '@plugboard/db';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * Reconnect (connect.oauth.start with reconnectConnectionId): the same account renews the one
 * connection; another account is refused with RECONNECT_ACCOUNT_MISMATCH and nothing changes;
 * only the session user's own connection, for that provider, can be named.
 */
const databases = testDatabases(inject('postgresUrl'));
const GRACE = { userId: '5a1b7c3d-0ada-4c0d-9e1a-ace0000000ff', email: 'grace@acme.example' };

describe.each(databases)('Reconnect on %s', (_db, database) => {
  let stack: TestStack;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack(db ? { database: db } : {});
  });
  afterAll(async () => stack?.close());
  afterEach(async () => {
    await fetch(`${stack.mockUrl}/__control/reset`, { method: 'POST' });
    const i = stack.env.integrations.notion;
    await fetch(`${stack.mockUrl}/__control/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'notion',
        clientId: i.clientId,
        clientSecret: i.clientSecret,
        redirectUris: [`${stack.url}/oauth/callback/notion`],
      }),
    });
    await stack.orm.em.fork().nativeDelete(Connection, {});
    await stack.orm.em.fork().nativeDelete(AuthAttempt, {});
  });

  async function connect(agent: BrowserAgent, reconnectConnectionId?: string) {
    const started = await agent.trpc(stack.url).connect.oauth.start.mutate({
      providerId: 'notion',
      ...(reconnectConnectionId ? { reconnectConnectionId: reconnectConnectionId as never } : {}),
    });
    const consent = await agent.navigate(started.authorizationUrl);
    await agent.decide(consent.url, await consent.res.text(), 'allow');
    return agent.trpc(stack.url).connect.attempts.get.query({ attemptId: started.attemptId });
  }

  async function markNeedsReauth(id: string) {
    await stack.orm.em.fork().nativeUpdate(Connection, { id }, { status: 'needs_reauth' });
  }

  const rows = () => stack.orm.em.fork().find(Connection, {}, { orderBy: { createdAt: 'asc' } });

  it('renews the same connection when the same account signs in', async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    const first = await connect(agent);
    const id = first.connection!.id;
    await markNeedsReauth(id);
    const again = await connect(agent, id);
    expect(again).toMatchObject({ status: 'completed', reconnectConnectionId: id });
    expect(again.connection).toMatchObject({ id, status: 'active' });
    expect((await rows()).map((r) => [r.id, r.status])).toEqual([[id, 'active']]);
  });

  it('refuses another account, stores nothing, and keeps the connection as it was', async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    const id = (await connect(agent)).connection!.id;
    await markNeedsReauth(id);
    const before = await stack.orm.em.fork().findOneOrFail(Connection, { id });
    await fetch(`${stack.mockUrl}/__control/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', account: GRACE }),
    });
    const attempt = await connect(agent, id);
    expect(attempt.status).toBe('failed');
    expect(attempt.connection).toBeNull();
    expect(attempt.error?.code).toBe('RECONNECT_ACCOUNT_MISMATCH');
    expect(attempt.error?.message).toContain('(Acme Workspace (ada@acme.example))');
    const after = await rows();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id,
      status: 'needs_reauth',
      version: before.version,
      credentialsEnc: before.credentialsEnc,
    });
    // Connecting the other account on purpose (no reconnect) adds it as its own connection.
    expect((await connect(agent)).connection?.label).toContain(GRACE.email);
    expect(await rows()).toHaveLength(2);
  });

  it("names only one of the session user's own connections, for that provider", async () => {
    const owner = new BrowserAgent(stack.url);
    await owner.demoLogin(stack.url);
    const id = (await connect(owner)).connection!.id;
    const attempts = await stack.orm.em.fork().count(AuthAttempt, {});

    const start = (providerId: 'notion' | 'github', connectionId: string) =>
      owner
        .trpc(stack.url)
        .connect.oauth.start.mutate({ providerId, reconnectConnectionId: connectionId as never });
    await expect(start('github', id)).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'NOT_FOUND',
    );
    await expect(start('notion', 'conn_doesnotexist0000000000')).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'NOT_FOUND',
    );
    await expect(start('notion', 'not-a-connection-id')).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'VALIDATION_FAILED',
    );
    // Another end user's connection: same answer as one that does not exist.
    await stack.orm.em.fork().nativeUpdate(Connection, { id }, { externalUserId: 'someone-else' });
    await expect(start('notion', id)).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'NOT_FOUND',
    );
    expect(await stack.orm.em.fork().count(AuthAttempt, {})).toBe(attempts);
  });
});
