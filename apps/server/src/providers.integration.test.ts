import { createPlugboardClient, type PlugboardClient } from '@plugboard/client';
import { PlugboardError, type ProviderId } from '@plugboard/contracts';
import { integrationConfig, newId, openCredentials } from '@plugboard/core';
import { Connection } from '@plugboard/db';
import { catalog, getProvider, refreshTokens, resolveEndpoint } from '@plugboard/providers';
import { mockConnections, type MockConnection } from '@plugboard/providers/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from './testing';

/**
 * Every OAuth provider of the catalog, connected for real over HTTP against the mock provider
 * server (an independent implementation written from the providers' documentation): consent,
 * callback, the account read back, credentials the provider accepts, refresh, and revocation on
 * disconnect. Expected values are the mock's default accounts (mocks/providers/README.md), as
 * each provider folder's `mock-connection.ts` states them: a new provider is covered with no
 * edit here.
 */
type ProviderCase = MockConnection;

const cases: readonly ProviderCase[] = mockConnections;

it('covers every connectable OAuth provider that needs no user input', () => {
  const oauthWithoutInputs = catalog
    .filter((p) => p.authMode === 'oauth2' && !('comingSoon' in p) && p.inputs.length === 0)
    .map((p) => p.id);
  expect(cases.map((c) => c.id).sort()).toEqual([...oauthWithoutInputs].sort());
});

describe('providers over HTTP against the mock', () => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let plugboard: PlugboardClient;
  // One browser session for the file: demo logins are rate limited per IP, like every login.
  let agent: BrowserAgent;

  beforeAll(async () => {
    stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
  });
  afterAll(async () => stack?.close());
  afterEach(async () => {
    await stack.orm.em.fork().nativeDelete(Connection, {});
    // Reset forgets the clients registered for this server's random port: register them again.
    await fetch(`${stack.mockUrl}/__control/reset`, { method: 'POST' });
    for (const { id } of cases) {
      const i = stack.env.integrations[id];
      await fetch(`${stack.mockUrl}/__control/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provider: id,
          clientId: i.clientId,
          clientSecret: i.clientSecret,
          redirectUris: [`${stack.url}/oauth/callback/${id}`],
        }),
      });
    }
  });

  const mockRequests = async (provider: ProviderId, endpoint: string) =>
    (
      (await (
        await fetch(`${stack.mockUrl}/__control/requests?provider=${provider}&endpoint=${endpoint}`)
      ).json()) as { requests: { status: number | null }[] }
    ).requests;

  /** Whether the mock's identity endpoint accepts this access token. */
  async function identityAccepts(c: ProviderCase, accessToken: string): Promise<boolean> {
    const res = await fetch(`${stack.mockUrl}/${c.id}${c.identity.path}`, {
      method: c.identity.method ?? 'GET',
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(c.identity.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...c.identity.headers,
      },
      ...(c.identity.json === undefined ? {} : { body: JSON.stringify(c.identity.json) }),
    });
    // Slack answers HTTP 200 either way; `ok` tells.
    const body = (await res.json().catch(() => null)) as { ok?: boolean } | null;
    return res.status === 200 && body?.ok !== false;
  }

  /** Demo login → connect.oauth.start → the mock's consent page → Allow/Deny → callback. */
  async function connect(c: ProviderCase, decision: 'allow' | 'deny') {
    const api = agent.trpc(stack.url);
    const started = await api.connect.oauth.start.mutate({ providerId: c.id });
    const consent = await agent.navigate(started.authorizationUrl);
    expect(consent.res.status).toBe(200);
    expect(consent.url.startsWith(`${stack.mockUrl}/${c.id}/`)).toBe(true);
    const landed = await agent.decide(consent.url, await consent.res.text(), decision);
    expect(new URL(landed.url).pathname).toBe('/connect/result');
    const attempt = await api.connect.attempts.get.query({ attemptId: started.attemptId });
    return { api, started, attempt };
  }

  const storedTokens = async (connectionId: string) => {
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: connectionId });
    return openCredentials(stack.server.deps.keyring, row.id, row.credentialsEnc);
  };

  describe.each(cases)('$id', (c) => {
    it('connects, reads the account, hands out working credentials, refreshes and revokes', async () => {
      const { api, started, attempt } = await connect(c, 'allow');
      const provider = getProvider(c.id);
      const auth = new URL(started.authorizationUrl);
      // Straight to the provider's authorize endpoint in the Connect UI's flow.
      expect(auth.searchParams.get('redirect_uri')).toBe(`${stack.url}/oauth/callback/${c.id}`);
      expect(auth.searchParams.has('code_challenge')).toBe(provider.pkce);

      expect(attempt.error).toBeNull();
      expect(attempt.status).toBe('completed');
      const connection = attempt.connection!;
      expect(connection).toMatchObject({
        providerId: c.id,
        accountId: c.accountId,
        label: c.label,
        status: 'active',
        metadata: { providerId: c.id, ...c.metadata(stack.mockUrl) },
      });

      const creds = await plugboard.connections.credentials.mutate({
        connectionId: connection.id,
      });
      expect(creds.refreshed).toBe(false);
      expect(await identityAccepts(c, creds.accessToken)).toBe(true);

      const before = await storedTokens(connection.id);
      const forced = await plugboard.connections.credentials.mutate({
        connectionId: connection.id,
        forceRefresh: true,
      });
      const after = await storedTokens(connection.id);
      expect(await identityAccepts(c, forced.accessToken)).toBe(true);
      if (c.refresh === 'none') {
        // Nothing to refresh with: the token that works is the answer.
        expect(before.refreshToken).toBeNull();
        expect(forced).toMatchObject({ refreshed: false, accessToken: creds.accessToken });
      } else {
        expect(before.refreshToken).toBeTruthy();
        expect(forced.refreshed).toBe(true);
        expect(forced.accessToken).not.toBe(creds.accessToken);
        expect((await mockRequests(c.id, 'token')).at(-1)?.status).toBe(200);
        if (c.refresh === 'stable') {
          expect(after.refreshToken).toBe(before.refreshToken);
        } else {
          expect(after.refreshToken).not.toBe(before.refreshToken);
          // The mock refuses the rotated-out refresh token, and the engine calls that a dead grant.
          const config = await integrationConfig(stack.orm.em.fork(), stack.server.deps, c.id);
          const reused = await refreshTokens(
            provider,
            { http: stack.server.deps.http, config },
            {
              refreshToken: before.refreshToken!,
              tokenUrl: resolveEndpoint(provider.endpoints.token, config),
              now: new Date(),
            },
          ).catch((e: unknown) => e);
          expect(reused).toBeInstanceOf(PlugboardError);
          expect((reused as PlugboardError).code).toBe('GRANT_INVALID');
        }
      }

      const out = await api.connect.connections.disconnect.mutate({ connectionId: connection.id });
      expect(out).toEqual({ connectionId: connection.id, revokedAtProvider: true });
      const revokes = await mockRequests(c.id, 'revoke');
      expect(revokes).toHaveLength(1);
      expect(revokes[0]!.status).toBeLessThan(300);
      expect(await identityAccepts(c, forced.accessToken)).toBe(false);
      expect(await api.connect.connections.list.query()).toEqual([]);

      // No token or client secret reached the server's log.
      const logs = stack.logs.join('');
      for (const secret of [creds.accessToken, forced.accessToken, before.refreshToken]) {
        if (secret) expect(logs).not.toContain(secret);
      }
      expect(logs).not.toContain(stack.env.integrations[c.id].clientSecret);
    });

    it('a denied consent fails the attempt with PROVIDER_DENIED and connects nothing', async () => {
      const { api, attempt } = await connect(c, 'deny');
      expect(attempt.status).toBe('failed');
      expect(attempt.error?.code).toBe('PROVIDER_DENIED');
      expect(await api.connect.connections.list.query()).toEqual([]);
      expect(await mockRequests(c.id, 'token')).toHaveLength(0);
    });

    it.each([
      ['error_500', 'PROVIDER_UNAVAILABLE'],
      ['invalid_grant', 'GRANT_INVALID'],
    ])('a token endpoint answering %s fails the attempt with %s', async (kind, code) => {
      await fetch(`${stack.mockUrl}/__control/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: c.id, endpoint: 'token', kind, count: 1 }),
      });
      const { attempt } = await connect(c, 'allow');
      expect(attempt.status).toBe('failed');
      expect(attempt.error?.code).toBe(code);
      expect(await stack.orm.em.fork().count(Connection, {})).toBe(0);
    });
  });
});
