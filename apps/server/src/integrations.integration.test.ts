import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * `server.integrations.*` on two server instances sharing one database: what an admin changes
 * on instance A is in effect on instance B at its next request — no restart, no cache to wait
 * for — and a provider turned off disappears and refuses new flows while its existing
 * connections keep refreshing.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('integrations through the API on %s', (_db, database) => {
  const apiKey = newId('pk_');
  const clientId = 'db-notion-client';
  const clientSecret = `db-notion-secret-${newId('x_')}`;
  let a: TestStack;
  let b: TestStack;
  let adminA: PlugboardClient;
  let adminB: PlugboardClient;

  beforeAll(async () => {
    const db = await database();
    a = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      ...(db ? { database: db } : {}),
    });
    // B reaches "live" Notion at the mock (a sandbox base URL, as `<KEY>_BASE_URL` allows).
    b = await startTestStack({ joining: a, env: { NOTION_BASE_URL: `${a.mockUrl}/notion` } });
    adminA = createPlugboardClient({ url: a.url, apiKey });
    adminB = createPlugboardClient({ url: b.url, apiKey });
    // The live client the admin is about to configure exists at the "provider".
    const res = await fetch(`${a.mockUrl}/__control/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'notion',
        clientId,
        clientSecret,
        redirectUris: [a.url, b.url].map((u) => `${u}/oauth/callback/notion`),
      }),
    });
    expect(res.ok).toBe(true);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a client stored on A is used by a flow on B at once, and its secret never comes back', async () => {
    expect((await adminB.integrations.get.query({ providerId: 'notion' })).mode).toEqual({
      value: 'mock',
      source: 'default',
    });
    const stored = await adminA.integrations.upsert.mutate({
      providerId: 'notion',
      clientId,
      clientSecret,
    });
    expect(stored).toMatchObject({
      mode: { value: 'live', source: 'database' },
      clientId: { value: clientId, source: 'database' },
      clientSecret: { set: true, source: 'database' },
    });

    const browser = new BrowserAgent(b.url);
    await browser.demoLogin(b.url);
    const started = await browser.trpc(b.url).connect.oauth.start.mutate({ providerId: 'notion' });
    const authorize = new URL(started.authorizationUrl);
    expect(authorize.origin + authorize.pathname).toBe(`${a.mockUrl}/notion/v1/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(clientId);
    const consent = await browser.navigate(started.authorizationUrl);
    await browser.decide(consent.url, await consent.res.text(), 'allow');
    // The mock checks the secret at the token exchange: only the stored one passes.
    const attempt = await browser
      .trpc(b.url)
      .connect.attempts.get.query({ attemptId: started.attemptId });
    expect(attempt.status).toBe('completed');

    const listed = await adminB.integrations.list.query();
    expect(listed.items.find((i) => i.providerId === 'notion')?.clientId).toEqual({
      value: clientId,
      source: 'database',
    });
    const everything = JSON.stringify([stored, listed, a.logs, b.logs]);
    expect(everything).not.toContain(clientSecret);
    const audit = await adminB.auditLog.list.query({ action: 'integration.updated' });
    expect(audit.items.map((e) => [e.targetId, e.detail])).toEqual([
      ['notion', { fields: 'clientId clientSecret', enabled: true }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(clientSecret);
  });

  it('disabled on A: B lists it no more and refuses new flows; its connections keep working', async () => {
    const browser = new BrowserAgent(b.url);
    await browser.demoLogin(b.url);
    const api = browser.trpc(b.url);
    const existing = await browser.connect(b.url, 'calendly');
    expect(existing.status).toBe('completed');
    const connectionId = existing.connection!.id;

    const disabled = await adminA.integrations.disable.mutate({ providerId: 'calendly' });
    expect(disabled.enabled).toEqual({ value: false, source: 'database' });
    await adminA.integrations.disable.mutate({ providerId: 'telegram' });
    await adminA.integrations.disable.mutate({ providerId: 'notion-internal' });

    const ids = (await api.connect.providers.list.query()).map((p) => p.id);
    expect(ids).toContain('github');
    expect(ids).not.toContain('calendly');
    expect(ids).not.toContain('telegram');
    expect(ids).not.toContain('notion-internal');
    const refused = [
      await api.connect.oauth.start.mutate({ providerId: 'calendly' }).catch(plugboardErrorCode),
      await adminB.oauth.start
        .mutate({
          providerId: 'calendly',
          externalUserId: 'u-2',
          redirectUrl: 'http://127.0.0.1:9/done',
        })
        .catch(plugboardErrorCode),
      await api.connect.oauth.start
        .mutate({ providerId: 'calendly', reconnectConnectionId: connectionId as never })
        .catch(plugboardErrorCode),
      await api.connect.telegram.sendCode
        .mutate({ phone: '+15555550123' })
        .catch(plugboardErrorCode),
      await api.connect.telegram.qr.start.mutate().catch(plugboardErrorCode),
      await api.connect.apiKey.connect
        .mutate({ providerId: 'notion-internal', values: { token: 'ntn_whatever' } })
        .catch(plugboardErrorCode),
    ];
    expect(refused).toEqual(Array(6).fill('PROVIDER_DISABLED'));

    // The existing connection refreshes and is listed as before.
    const creds = await adminB.connections.credentials.mutate({ connectionId, forceRefresh: true });
    expect(creds.refreshed).toBe(true);
    expect((await api.connect.connections.list.query()).map((c) => c.id)).toContain(connectionId);

    // Enabled again on B: A offers it at once.
    await adminB.integrations.upsert.mutate({ providerId: 'calendly', enabled: true });
    const agentA = new BrowserAgent(a.url);
    await agentA.demoLogin(a.url);
    expect((await agentA.trpc(a.url).connect.providers.list.query()).map((p) => p.id)).toContain(
      'calendly',
    );
    const audit = await adminA.auditLog.list.query({ action: 'integration.disabled' });
    expect(audit.items.map((e) => e.targetId).sort()).toEqual([
      'calendly',
      'notion-internal',
      'telegram',
    ]);
  });

  it('refuses what cannot work, with the field named, and changes nothing', async () => {
    const before = await adminA.integrations.get.query({ providerId: 'github' });
    const err = await adminA.integrations.upsert
      .mutate({ providerId: 'github', clientId: 'only-an-id' })
      .catch((e: unknown) => e);
    expect(plugboardErrorCode(err)).toBe('VALIDATION_FAILED');
    expect((err as { data?: { issues?: { path: string }[] } }).data?.issues?.[0]?.path).toBe(
      'clientSecret',
    );
    expect(await adminA.integrations.get.query({ providerId: 'github' })).toEqual(before);
  });
});
