import { ManualClock, openCredentials } from '@plugboard/core';
import { AuthAttempt, Connection } from '@plugboard/db';
import type { AppRouter } from '@plugboard/api';
import { TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * The whole Notion flow over real HTTP: Plugboard server ↔ mock Notion, a real database (SQLite
 * file, and a real PostgreSQL), and a cookie-keeping browser agent. Every bad input ends with a
 * clear code and no connection written.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('Notion flow on %s', (_db, database) => {
  let stack: TestStack;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock();
    const db = await database();
    stack = await startTestStack({
      clock,
      providerTimeoutMs: 1000,
      ...(db ? { database: db } : {}),
    });
  });
  afterAll(async () => stack?.close());
  afterEach(async () => {
    await fetch(`${stack.mockUrl}/__control/reset`, { method: 'POST' });
    await registerClient();
    await stack.orm.em.fork().nativeDelete(Connection, {});
    await stack.orm.em.fork().nativeDelete(AuthAttempt, {});
  });

  async function registerClient() {
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
  }

  const newBrowser = async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    return agent;
  };

  /** Starts a flow and lands on the mock's consent page. */
  async function startFlow(agent: BrowserAgent) {
    const started = await agent
      .trpc(stack.url)
      .connect.oauth.start.mutate({ providerId: 'notion' });
    const consent = await agent.navigate(started.authorizationUrl);
    expect(consent.res.status).toBe(200);
    return { ...started, consentUrl: consent.url, html: await consent.res.text() };
  }

  /** Presses a button on the consent page but stops at the redirect back to Plugboard. */
  async function callbackUrlAfter(agent: BrowserAgent, decision: 'allow' | 'deny') {
    const flow = await startFlow(agent);
    const form = /action="([^"]*)"/.exec(flow.html)![1]!.replace(/&amp;/g, '&');
    const pending = /name="pending" value="([^"]*)"/.exec(flow.html)![1]!;
    const res = await agent.fetch(new URL(form, flow.consentUrl).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, decision }).toString(),
    });
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${stack.url}/oauth/callback/notion?`)).toBe(true);
    return { ...flow, callbackUrl: location };
  }

  const mockRequests = async (endpoint: string) =>
    (
      (await (
        await fetch(`${stack.mockUrl}/__control/requests?provider=notion&endpoint=${endpoint}`)
      ).json()) as {
        requests: unknown[];
      }
    ).requests;

  const connectionCount = () => stack.orm.em.fork().count(Connection, {});

  async function expectRejected(agent: BrowserAgent, url: string, code: string) {
    const res = await agent.fetch(url);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.pathname).toBe('/connect/result');
    expect(location.searchParams.get('error') ?? (await attemptError(agent, location))).toBe(code);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  }

  async function attemptError(agent: BrowserAgent, location: URL) {
    const attemptId = location.searchParams.get('attempt')!;
    const attempt = await agent
      .trpc(stack.url)
      .connect.attempts.get.query({ attemptId: attemptId as `att_${string}` });
    return attempt.error?.code;
  }

  it('connects Notion, shows the account, stores sealed credentials, and disconnects with a revoke', async () => {
    const agent = await newBrowser();
    const api = agent.trpc(stack.url);
    const flow = await startFlow(agent);
    const auth = new URL(flow.authorizationUrl);
    expect(auth.searchParams.get('redirect_uri')).toBe(`${stack.url}/oauth/callback/notion`);
    expect(auth.searchParams.get('owner')).toBe('user');
    expect(auth.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);

    const landed = await agent.decide(flow.consentUrl, flow.html, 'allow');
    const result = new URL(landed.url);
    expect(result.pathname).toBe('/connect/result');
    expect([...result.searchParams.keys()]).toEqual(['attempt']);
    const attempt = await api.connect.attempts.get.query({ attemptId: flow.attemptId });
    expect(attempt.status).toBe('completed');
    expect(attempt.connection?.label).toBe('Acme Workspace (ada@acme.example)');

    const [conn, ...rest] = await api.connect.connections.list.query();
    expect(rest).toHaveLength(0);
    expect(conn).toMatchObject({
      providerId: 'notion',
      providerName: 'Notion',
      label: 'Acme Workspace (ada@acme.example)',
      status: 'active',
      metadata: {
        providerId: 'notion',
        workspaceName: 'Acme Workspace',
        ownerEmail: 'ada@acme.example',
      },
    });

    // Credentials are sealed: the row never holds the token in clear, and it opens only for this row.
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: conn!.id });
    const tokens = openCredentials(stack.server.deps.keyring, row.id, row.credentialsEnc);
    expect(tokens.accessToken.length).toBeGreaterThan(10);
    expect(row.credentialsEnc).not.toContain(tokens.accessToken);
    expect(() =>
      openCredentials(stack.server.deps.keyring, 'conn_other', row.credentialsEnc),
    ).toThrow();

    // Nothing secret was ever logged: not the token, the code, the state or the client secret.
    const code = new URL(
      agent.visited.find((u) => u.includes('/oauth/callback/'))!,
    ).searchParams.get('code')!;
    const logs = stack.logs.join('');
    for (const secret of [
      tokens.accessToken,
      code,
      auth.searchParams.get('state')!,
      stack.env.integrations.notion.clientSecret,
    ]) {
      expect(logs).not.toContain(secret);
    }

    const out = await api.connect.connections.disconnect.mutate({ connectionId: conn!.id });
    expect(out).toEqual({ connectionId: conn!.id, revokedAtProvider: true });
    expect(await api.connect.connections.list.query()).toEqual([]);
    expect(await mockRequests('revoke')).toHaveLength(1);
  });

  it('connecting the same account again updates the one connection', async () => {
    const agent = await newBrowser();
    for (let i = 0; i < 2; i++) {
      const flow = await startFlow(agent);
      await agent.decide(flow.consentUrl, flow.html, 'allow');
    }
    const rows = await stack.orm.em.fork().find(Connection, {});
    expect(rows).toHaveLength(1);
    expect(rows[0]!.version).toBe(2);
  });

  it('a denied consent fails the attempt with PROVIDER_DENIED and connects nothing', async () => {
    const agent = await newBrowser();
    const flow = await startFlow(agent);
    const landed = await agent.decide(flow.consentUrl, flow.html, 'deny');
    expect(new URL(landed.url).searchParams.get('attempt')).toBe(flow.attemptId);
    const attempt = await agent
      .trpc(stack.url)
      .connect.attempts.get.query({ attemptId: flow.attemptId });
    expect(attempt.status).toBe('failed');
    expect(attempt.error).toEqual({
      code: 'PROVIDER_DENIED',
      message: 'Access was not granted. Nothing was connected.',
    });
    expect(await connectionCount()).toBe(0);
    expect(await mockRequests('token')).toHaveLength(0);
  });

  it('rejects a callback for an unknown provider', async () => {
    const agent = await newBrowser();
    const { callbackUrl } = await callbackUrlAfter(agent, 'allow');
    await expectRejected(
      agent,
      callbackUrl.replace('/oauth/callback/notion', '/oauth/callback/nope'),
      'PROVIDER_UNKNOWN',
    );
    expect(await connectionCount()).toBe(0);
  });

  it('rejects a missing, tampered or duplicated state without calling the token endpoint', async () => {
    const agent = await newBrowser();
    const { callbackUrl } = await callbackUrlAfter(agent, 'allow');
    const u = new URL(callbackUrl);
    const state = u.searchParams.get('state')!;
    const without = new URL(u);
    without.searchParams.delete('state');
    await expectRejected(agent, without.toString(), 'STATE_INVALID');
    const tampered = new URL(u);
    tampered.searchParams.set('state', `${state.slice(0, -2)}xx`);
    await expectRejected(agent, tampered.toString(), 'STATE_INVALID');
    await expectRejected(agent, `${u}&state=${state}`, 'STATE_INVALID');
    expect(await mockRequests('token')).toHaveLength(0);
    expect(await connectionCount()).toBe(0);
    // The genuine response still works afterwards: rejections consumed nothing.
    const ok = await agent.fetch(callbackUrl);
    expect(new URL(ok.headers.get('location')!).searchParams.get('attempt')).toBeTruthy();
    expect(await connectionCount()).toBe(1);
  });

  it('rejects a state that comes back in another browser, and leaves the flow usable', async () => {
    const victim = await newBrowser();
    const { callbackUrl } = await callbackUrlAfter(victim, 'allow');
    const attacker = await newBrowser();
    await expectRejected(attacker, callbackUrl, 'STATE_INVALID');
    const anonymous = new BrowserAgent(stack.url);
    await expectRejected(anonymous, callbackUrl, 'STATE_INVALID');
    expect(await connectionCount()).toBe(0);
    expect(await mockRequests('token')).toHaveLength(0);
  });

  it('a replayed callback never reaches the token endpoint twice', async () => {
    const agent = await newBrowser();
    const { callbackUrl } = await callbackUrlAfter(agent, 'allow');
    const [a, b] = await Promise.all([agent.fetch(callbackUrl), agent.fetch(callbackUrl)]);
    const errors = [a, b].map((r) => new URL(r.headers.get('location')!).searchParams.get('error'));
    expect(errors.filter((e) => e === 'STATE_USED')).toHaveLength(1);
    await expectRejected(agent, callbackUrl, 'STATE_USED');
    expect(await mockRequests('token')).toHaveLength(1);
    expect(await connectionCount()).toBe(1);
  });

  it('an attempt older than 10 minutes expires', async () => {
    const agent = await newBrowser();
    const { callbackUrl } = await callbackUrlAfter(agent, 'allow');
    clock.advance(11 * 60);
    await expectRejected(agent, callbackUrl, 'STATE_EXPIRED');
    expect(await mockRequests('token')).toHaveLength(0);
    expect(await connectionCount()).toBe(0);
  });

  it('a callback without a code fails with CODE_MISSING', async () => {
    const agent = await newBrowser();
    const { callbackUrl } = await callbackUrlAfter(agent, 'allow');
    const u = new URL(callbackUrl);
    u.searchParams.delete('code');
    await expectRejected(agent, u.toString(), 'CODE_MISSING');
    expect(await connectionCount()).toBe(0);
  });

  it.each([
    ['error_500', 'PROVIDER_UNAVAILABLE'],
    ['timeout', 'PROVIDER_UNAVAILABLE'],
    ['invalid_grant', 'GRANT_INVALID'],
  ])('a token endpoint answering %s fails the attempt with %s', async (kind, code) => {
    const agent = await newBrowser();
    const { callbackUrl } = await callbackUrlAfter(agent, 'allow');
    await fetch(`${stack.mockUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', endpoint: 'token', kind, count: 1 }),
    });
    await expectRejected(agent, callbackUrl, code);
    expect(await connectionCount()).toBe(0);
  });

  describe('tRPC input and request hygiene', () => {
    const trpcError = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => {
          throw new Error('expected an error');
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TRPCClientError);
      return err as TRPCClientError<AppRouter> & { data: { code: string; httpStatus: number } };
    };

    it('refuses an unknown or not-yet-available provider', async () => {
      const api = (await newBrowser()).trpc(stack.url);
      const unknown = await trpcError(
        api.connect.oauth.start.mutate({ providerId: 'nope' as 'notion' }),
      );
      expect(unknown.data.code).toBe('VALIDATION_FAILED');
      expect(unknown.message).toContain('providerId');
      const soon = await trpcError(api.connect.oauth.start.mutate({ providerId: 'telegram' }));
      expect(soon.data.code).toBe('PROVIDER_NOT_AVAILABLE');
      expect(await stack.orm.em.fork().count(AuthAttempt, {})).toBe(0);
    });

    it('refuses oversized and malformed inputs without writing anything', async () => {
      const agent = await newBrowser();
      const api = agent.trpc(stack.url);
      const big = await trpcError(
        api.connect.oauth.start.mutate({ providerId: 'notion', inputs: { shop: 'x'.repeat(300) } }),
      );
      expect(big.data.code).toBe('VALIDATION_FAILED');
      const extra = await trpcError(
        api.connect.oauth.start.mutate({ providerId: 'notion', sneaky: true } as never),
      );
      expect(extra.data.code).toBe('VALIDATION_FAILED');
      const redirect = await trpcError(
        api.connect.oauth.start.mutate({ providerId: 'notion', returnTo: 'https://evil.example/' }),
      );
      expect(redirect.data.code).toBe('VALIDATION_FAILED');

      const post = (body: string) =>
        agent.fetch(`${stack.url}/trpc/connect.oauth.start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: stack.url },
          body,
        });
      const huge = await post(JSON.stringify({ providerId: 'notion', pad: 'x'.repeat(100_000) }));
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: { code: string } }).error.code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
      const malformed = await post('{"providerId":');
      expect(malformed.status).toBe(400);
      const malformedBody = await malformed.text();
      expect(malformedBody).not.toMatch(/stack|at .*\.ts/);
      const batch = await agent.fetch(
        `${stack.url}/trpc/${Array.from({ length: 11 }, () => 'connect.session.me').join(',')}?batch=1&input={}`,
      );
      expect(batch.status).toBe(400);
      expect(((await batch.json()) as { error: { message: string } }).error.message).toContain(
        'Batch',
      );
      expect(await stack.orm.em.fork().count(AuthAttempt, {})).toBe(0);
    });

    it('refuses cross-site mutations', async () => {
      const agent = await newBrowser();
      const attempt = (headers: Record<string, string>) =>
        agent.fetch(`${stack.url}/trpc/connect.oauth.start`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ providerId: 'notion' }),
        });
      const cases: Record<string, string>[] = [
        { 'content-type': 'application/json', origin: 'https://evil.example' },
        { 'content-type': 'text/plain', origin: stack.url },
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of cases) {
        const res = await attempt(headers);
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'CSRF_REJECTED',
        );
      }
      expect(await stack.orm.em.fork().count(AuthAttempt, {})).toBe(0);
      // The same request from our own origin works.
      expect(
        (await attempt({ 'content-type': 'application/json', origin: stack.url })).status,
      ).toBe(200);
    });

    it('requires a session for the Connect UI procedures', async () => {
      const api = new BrowserAgent(stack.url).trpc(stack.url);
      const err = await trpcError(api.connect.connections.list.query());
      expect(err.data.code).toBe('UNAUTHENTICATED');
      expect(err.data.httpStatus).toBe(401);
      expect(await api.connect.session.me.query()).toEqual({
        session: null,
        demoLoginAvailable: true,
      });
    });
  });
});
