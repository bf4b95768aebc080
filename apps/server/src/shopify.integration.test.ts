import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import { PlugboardError } from '@plugboard/contracts';
import { integrationConfig, ManualClock, newId, openCredentials } from '@plugboard/core';
import { AuthAttempt, Connection } from '@plugboard/db';
import { getProvider, refreshTokens, resolveEndpoint } from '@plugboard/providers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from './testing';

/**
 * Shopify over real HTTP against the mock: a store per shop domain (`/shopify/store/{shop}/…`),
 * a callback signed with the app secret, expiring offline tokens with rotating refresh tokens,
 * and uninstall on disconnect. Its own file because every step depends on the shop input, which
 * the table in providers.integration.test.ts has no column for.
 */
const SHOP = 'acme-store.myshopify.com';
const API_VERSION = '2025-10';

describe('Shopify against the mock', () => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let clock: ManualClock;
  let plugboard: PlugboardClient;
  // One browser session for the file: demo logins are rate limited per IP.
  let agent: BrowserAgent;

  beforeAll(async () => {
    clock = new ManualClock();
    stack = await startTestStack({ clock, env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
  });
  afterAll(async () => stack?.close());
  // The mock signs callbacks with real time; keep the server's clock on it between tests.
  beforeEach(() => clock.advance((Date.now() - clock.now().getTime()) / 1000));
  afterEach(async () => {
    await fetch(`${stack.mockUrl}/__control/reset`, { method: 'POST' });
    const i = stack.env.integrations.shopify;
    await fetch(`${stack.mockUrl}/__control/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'shopify',
        clientId: i.clientId,
        clientSecret: i.clientSecret,
        redirectUris: [`${stack.url}/oauth/callback/shopify`],
      }),
    });
    await stack.orm.em.fork().nativeDelete(Connection, {});
    await stack.orm.em.fork().nativeDelete(AuthAttempt, {});
  });

  const api = () => agent.trpc(stack.url);

  const mockRequests = async (endpoint: string) =>
    (
      (await (
        await fetch(`${stack.mockUrl}/__control/requests?provider=shopify&endpoint=${endpoint}`)
      ).json()) as { requests: { path: string; status: number | null }[] }
    ).requests;

  /** Whether the store's Admin API accepts this token (it takes only X-Shopify-Access-Token). */
  async function shopAccepts(shop: string, accessToken: string): Promise<boolean> {
    const res = await fetch(
      `${stack.mockUrl}/shopify/store/${shop}/admin/api/${API_VERSION}/shop.json`,
      { headers: { 'x-shopify-access-token': accessToken } },
    );
    return res.status === 200;
  }

  /** Lands on the store's install (consent) page for an authorization URL. */
  async function consentPage(authorizationUrl: string) {
    const consent = await agent.navigate(authorizationUrl);
    expect(consent.res.status).toBe(200);
    return { url: consent.url, html: await consent.res.text() };
  }

  /** Presses Allow and returns the signed callback URL the store sends the browser to. */
  async function signedCallback(page: { url: string; html: string }) {
    const { res } = await agent.submitConsent(page.url, page.html, 'allow');
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${stack.url}/oauth/callback/shopify?`)).toBe(true);
    return location;
  }

  /** Opens a callback URL and returns where Plugboard sent the browser. */
  async function openCallback(url: string) {
    const res = await agent.fetch(url);
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!);
  }

  const storedTokens = async (connectionId: string) => {
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: connectionId });
    return openCredentials(stack.server.deps.keyring, row.id, row.credentialsEnc);
  };

  it('connects a store, hands out working credentials, refreshes at the store and uninstalls', async () => {
    const started = await api().connect.oauth.start.mutate({
      providerId: 'shopify',
      inputs: { shop: SHOP },
    });
    const auth = new URL(started.authorizationUrl);
    expect(`${auth.origin}${auth.pathname}`).toBe(
      `${stack.mockUrl}/shopify/store/${SHOP}/admin/oauth/authorize`,
    );
    expect(auth.searchParams.get('scope')).toBe('read_products,read_orders');
    expect(auth.searchParams.get('redirect_uri')).toBe(`${stack.url}/oauth/callback/shopify`);
    expect(auth.searchParams.has('code_challenge')).toBe(false);

    const page = await consentPage(auth.href);
    const landed = await agent.decide(page.url, page.html, 'allow');
    expect(new URL(landed.url).pathname).toBe('/connect/result');
    const attempt = await api().connect.attempts.get.query({ attemptId: started.attemptId });
    expect(attempt.error).toBeNull();
    expect(attempt.status).toBe('completed');
    // The shop as typed (canonical), for a "Try again" that starts for the same store.
    expect(attempt.inputs).toEqual({ shop: SHOP });
    const connection = attempt.connection!;
    expect(connection).toMatchObject({
      providerId: 'shopify',
      accountId: SHOP,
      label: `Acme Store (${SHOP})`,
      status: 'active',
      scopes: ['read_products', 'read_orders'],
      metadata: {
        providerId: 'shopify',
        shop: SHOP,
        name: 'Acme Store',
        email: 'ada@acme.example',
        domain: SHOP,
        shopOwner: 'Ada Lovelace',
        countryCode: 'GB',
        currency: 'GBP',
        timezone: 'Europe/London',
        planName: 'partner_test',
      },
    });
    expect(connection.metadata.providerId === 'shopify' && connection.metadata.shopId).toEqual(
      expect.any(Number),
    );
    // The code went to this store's token endpoint, once.
    const exchanges = await mockRequests('token');
    expect(exchanges.map((r) => [r.path, r.status])).toEqual([
      [`/shopify/store/${SHOP}/admin/oauth/access_token`, 200],
    ]);

    // `expiring: "1"` was sent: an expiring offline token (1 h) with a refresh token.
    const creds = await plugboard.connections.credentials.mutate({ connectionId: connection.id });
    expect(creds.refreshed).toBe(false);
    expect(new Date(creds.expiresAt!).getTime() - clock.now().getTime()).toBe(3600_000);
    expect(await shopAccepts(SHOP, creds.accessToken)).toBe(true);
    // A token is good on its own store only.
    expect(await shopAccepts('other-shop.myshopify.com', creds.accessToken)).toBe(false);

    const first = await storedTokens(connection.id);
    expect(first.refreshToken).toMatch(/^shprt_/);
    const forced = await plugboard.connections.credentials.mutate({
      connectionId: connection.id,
      forceRefresh: true,
    });
    expect(forced.refreshed).toBe(true);
    expect(forced.accessToken).not.toBe(creds.accessToken);
    expect(await shopAccepts(SHOP, forced.accessToken)).toBe(true);
    const second = await storedTokens(connection.id);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // Shopify keeps a rotated-out refresh token usable until its replacement is first used, so
    // the first one dies only once the second has been used by another refresh.
    clock.advance(11);
    const again = await plugboard.connections.credentials.mutate({
      connectionId: connection.id,
      forceRefresh: true,
    });
    expect(again.refreshed).toBe(true);
    const refreshes = (await mockRequests('token')).slice(1);
    expect(refreshes.map((r) => [r.path, r.status])).toEqual([
      [`/shopify/store/${SHOP}/admin/oauth/access_token`, 200],
      [`/shopify/store/${SHOP}/admin/oauth/access_token`, 200],
    ]);
    const provider = getProvider('shopify');
    const config = await integrationConfig(stack.orm.em.fork(), stack.server.deps, 'shopify');
    const reused = await refreshTokens(
      provider,
      { http: stack.server.deps.http, config },
      {
        refreshToken: first.refreshToken!,
        tokenUrl: resolveEndpoint(provider.endpoints.token, config, { shop: SHOP }),
        now: clock.now(),
      },
    ).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(PlugboardError);
    expect((reused as PlugboardError).code).toBe('GRANT_INVALID');

    const out = await api().connect.connections.disconnect.mutate({ connectionId: connection.id });
    expect(out).toEqual({ connectionId: connection.id, revokedAtProvider: true });
    const revokes = await mockRequests('revoke');
    expect(revokes.map((r) => [r.path, r.status])).toEqual([
      [`/shopify/store/${SHOP}/admin/api_permissions/current.json`, 200],
    ]);
    expect(await shopAccepts(SHOP, again.accessToken)).toBe(false);
    expect(await api().connect.connections.list.query()).toEqual([]);

    const logs = stack.logs.join('');
    for (const secret of [creds.accessToken, forced.accessToken, again.accessToken]) {
      expect(logs).not.toContain(secret);
    }
    for (const secret of [first.refreshToken!, second.refreshToken!]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain(stack.env.integrations.shopify.clientSecret);
  });

  it('takes a bare shop handle, also from a headless start', async () => {
    const started = await plugboard.oauth.start.mutate({
      providerId: 'shopify',
      externalUserId: 'user-42',
      redirectUrl: 'http://127.0.0.1:9/integrations/done',
      inputs: { shop: '  Second-Shop ' },
    });
    const page = await consentPage(started.authorizationUrl);
    expect(new URL(page.url).pathname).toBe(
      '/shopify/store/second-shop.myshopify.com/admin/oauth/authorize',
    );
    const back = await openCallback(await signedCallback(page));
    expect(back.searchParams.get('status')).toBe('completed');
    const done = await plugboard.oauth.complete.mutate({ attemptId: started.attemptId });
    expect(done.status).toBe('completed');
    const connection = await plugboard.connections.get.query({
      connectionId: done.connectionId!,
    });
    expect(connection).toMatchObject({
      externalUserId: 'user-42',
      accountId: 'second-shop.myshopify.com',
      label: 'Acme Store (second-shop.myshopify.com)',
      metadata: { providerId: 'shopify', shop: 'second-shop.myshopify.com' },
    });
  });

  it.each([
    ['another host', 'evil.com'],
    ['a look-alike suffix', 'a.myshopify.com.evil.com'],
    ['a leading hyphen', '-x.myshopify.com'],
    ['a path', 'acme-store.myshopify.com/admin'],
    ['nothing', ''],
  ])('refuses %s as the shop (INPUT_INVALID) and writes no attempt', async (_what, shop) => {
    const fromUi = await api()
      .connect.oauth.start.mutate({ providerId: 'shopify', inputs: { shop } })
      .catch((e: unknown) => e);
    expect(plugboardErrorCode(fromUi)).toBe('INPUT_INVALID');
    // Names the field, so the Connect UI shows the message at the shop field.
    expect((fromUi as { data?: { issues?: unknown } }).data?.issues).toEqual([
      { path: 'inputs.shop', message: expect.stringContaining('your-shop.myshopify.com') },
    ]);
    const headless = await plugboard.oauth.start
      .mutate({
        providerId: 'shopify',
        externalUserId: 'user-42',
        redirectUrl: 'http://127.0.0.1:9/done',
        inputs: { shop },
      })
      .catch((e: unknown) => e);
    expect(plugboardErrorCode(headless)).toBe('INPUT_INVALID');
    expect(await stack.orm.em.fork().count(AuthAttempt, {})).toBe(0);
  });

  it('refuses a start without a shop (INPUT_INVALID)', async () => {
    const err = await api()
      .connect.oauth.start.mutate({ providerId: 'shopify' })
      .catch((e: unknown) => e);
    expect(plugboardErrorCode(err)).toBe('INPUT_INVALID');
    expect(await stack.orm.em.fork().count(AuthAttempt, {})).toBe(0);
  });

  it('rejects a tampered, unsigned, other-store or stale callback without a token request, then completes with the genuine one', async () => {
    const started = await api().connect.oauth.start.mutate({
      providerId: 'shopify',
      inputs: { shop: SHOP },
    });
    const genuine = await signedCallback(await consentPage(started.authorizationUrl));
    // The same state taken to another store: that store signs its own, valid callback.
    const otherStore = started.authorizationUrl.replace(
      `/store/${SHOP}/`,
      '/store/other-shop.myshopify.com/',
    );
    const otherStoreCallback = await signedCallback(await consentPage(otherStore));
    expect(new URL(otherStoreCallback).searchParams.get('shop')).toBe('other-shop.myshopify.com');

    const variant = (edit: (q: URLSearchParams) => void) => {
      const url = new URL(genuine);
      edit(url.searchParams);
      return url.toString();
    };
    const rejections: [string, string][] = [
      [variant((q) => q.set('code', `${q.get('code')!}x`)), 'HMAC_INVALID'],
      [
        variant((q) =>
          q.set('host', Buffer.from('admin.shopify.com/store/evil').toString('base64')),
        ),
        'HMAC_INVALID',
      ],
      [variant((q) => q.append('extra', '1')), 'HMAC_INVALID'],
      [variant((q) => q.delete('hmac')), 'HMAC_INVALID'],
      [variant((q) => q.set('hmac', 'not-hex')), 'HMAC_INVALID'],
      // Changed without the secret, the shop breaks the signature before it is compared.
      [variant((q) => q.set('shop', 'other-shop.myshopify.com')), 'HMAC_INVALID'],
      [otherStoreCallback, 'INPUT_INVALID'],
    ];
    for (const [url, code] of rejections) {
      const back = await openCallback(url);
      expect(back.pathname).toBe('/connect/result');
      expect(back.searchParams.get('error')).toBe(code);
    }
    // Signed and otherwise right, but more than 90 s old by the server's clock.
    clock.advance(91);
    const stale = await openCallback(genuine);
    expect(stale.searchParams.get('error')).toBe('HMAC_INVALID');
    clock.advance(-91);

    expect(await mockRequests('token')).toHaveLength(0);
    const pending = await api().connect.attempts.get.query({ attemptId: started.attemptId });
    expect(pending.status).toBe('pending');

    const back = await openCallback(genuine);
    expect([...back.searchParams.keys()]).toEqual(['attempt']);
    const attempt = await api().connect.attempts.get.query({ attemptId: started.attemptId });
    expect(attempt.status).toBe('completed');
    expect(attempt.connection?.accountId).toBe(SHOP);
    expect(await mockRequests('token')).toHaveLength(1);
  });

  it('a cancelled install never comes back: the attempt stays pending and nothing is requested', async () => {
    const started = await api().connect.oauth.start.mutate({
      providerId: 'shopify',
      inputs: { shop: SHOP },
    });
    const page = await consentPage(started.authorizationUrl);
    const { res } = await agent.submitConsent(page.url, page.html, 'deny');
    // Shopify has no error redirect: the merchant sees a "cancelled" page in the admin.
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    const attempt = await api().connect.attempts.get.query({ attemptId: started.attemptId });
    expect(attempt.status).toBe('pending');
    expect(await mockRequests('token')).toHaveLength(0);
    expect(await stack.orm.em.fork().count(Connection, {})).toBe(0);
  });

  it('a code the store no longer knows fails the attempt with GRANT_INVALID', async () => {
    await fetch(`${stack.mockUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'shopify', endpoint: 'token', kind: 'invalid_grant' }),
    });
    const started = await api().connect.oauth.start.mutate({
      providerId: 'shopify',
      inputs: { shop: SHOP },
    });
    await openCallback(await signedCallback(await consentPage(started.authorizationUrl)));
    const attempt = await api().connect.attempts.get.query({ attemptId: started.attemptId });
    expect(attempt.status).toBe('failed');
    expect(attempt.error?.code).toBe('GRANT_INVALID');
    expect(await stack.orm.em.fork().count(Connection, {})).toBe(0);
  });
});
