import { createHmac, timingSafeEqual } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { allowConsent, basicAuth, expectJson, expectJsonEqual } from '../testing/harness';
import { submitConsent, urlWithParams, useTestMock } from '../testing/harness';

const CLIENT_ID = 'test-shopify';
const CLIENT_SECRET = 'test-shopify-secret';
const REDIRECT_URI = 'http://app.test/oauth/callback/shopify';
const OTHER_REDIRECT_URI = 'http://app.test/other-callback';
const SHOP = 'acme-test.myshopify.com';
const OTHER_SHOP = 'other-store.myshopify.com';
const API_VERSION = '2026-10';
const INVALID_TOKEN = {
  errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
};
const CODE_NOT_FOUND = {
  error: 'invalid_request',
  error_description: 'The authorization code was not found or was already used',
};

const mock = useTestMock({
  provider: 'shopify',
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  name: 'Plugboard test',
  redirectUris: [REDIRECT_URI, OTHER_REDIRECT_URI],
});

const admin = (shop = SHOP) => `${mock.url}/shopify/store/${shop}/admin`;
// Shopify's callback has no `iss`; oauth4webapi is used for what applies: state and error checks.
const as = (shop = SHOP): oauth.AuthorizationServer => ({
  issuer: `https://${shop}`,
  authorization_endpoint: `${admin(shop)}/oauth/authorize`,
});
const client: oauth.Client = { client_id: CLIENT_ID };

/**
 * Shopify's documented callback check, written here independently of the mock: drop `hmac` and
 * `signature`, sort the keys, serialise as `key=value` pairs joined by `&` with URL encoding
 * (spaces as %20), HMAC-SHA256 with the app secret, hex, constant-time compare.
 */
function verifyShopifyHmac(query: URLSearchParams, secret: string): boolean {
  const given = query.get('hmac');
  if (given === null) return false;
  const message = [...query.entries()]
    .filter(([key]) => key !== 'hmac' && key !== 'signature')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${encodeForm(key)}=${encodeForm(value)}`)
    .join('&');
  const expected = createHmac('sha256', secret).update(message).digest('hex');
  return (
    expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given))
  );
}
/** application/x-www-form-urlencoded byte encoding, with %20 instead of + for spaces. */
function encodeForm(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9*\-._]/.test(c)
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function authorizeUrl(params: Record<string, string | undefined> = {}, shop = SHOP): string {
  return urlWithParams(`${admin(shop)}/oauth/authorize`, {
    client_id: CLIENT_ID,
    scope: 'read_products,write_orders',
    redirect_uri: REDIRECT_URI,
    state: 'state-123',
    'grant_options[]': '',
    ...params,
  });
}

async function authorize(
  params: Record<string, string | undefined> = {},
  shop = SHOP,
): Promise<URLSearchParams> {
  return allowConsent(authorizeUrl(params, shop), as(shop), client, params.state);
}

function postToken(shop: string, body: Record<string, unknown>, json = true) {
  return fetch(`${admin(shop)}/oauth/access_token`, {
    method: 'POST',
    headers: {
      'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
    },
    body: json
      ? JSON.stringify(body)
      : new URLSearchParams(body as Record<string, string>).toString(),
  });
}

interface ShopifyToken {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

/** shopify-api-js's exchange: JSON, credentials in the body, no grant_type. */
async function exchange(callback: URLSearchParams, shop = SHOP, expiring = true) {
  const response = await postToken(shop, {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    code: callback.get('code'),
    ...(expiring ? { expiring: '1' } : {}),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ShopifyToken;
}

function refresh(refreshToken: string, shop = SHOP) {
  return postToken(shop, {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    refresh_token: refreshToken,
    grant_type: 'refresh_token',
  });
}

/** Marks the test app as created before 2026-04-01 (it may use non-expiring tokens). */
async function legacyApp() {
  const res = await mock.control.call('POST', '/shopify/apps', {
    clientId: CLIENT_ID,
    createdAt: '2025-06-01',
  });
  expect(res.status).toBe(200);
}

/** Moves the mock clock forward to `at` (ms since the epoch). */
async function moveClockTo(at: number) {
  await mock.control.advanceClock(Math.ceil((at - Date.now()) / 1000));
}

function getShop(token: string, shop = SHOP, version = API_VERSION) {
  return fetch(`${admin(shop)}/api/${version}/shop.json`, {
    headers: { 'x-shopify-access-token': token },
  });
}

function uninstall(token: string, shop = SHOP) {
  return fetch(`${admin(shop)}/api_permissions/current.json`, {
    method: 'DELETE',
    headers: { 'x-shopify-access-token': token },
  });
}

describe('shopify happy path', () => {
  it('installs, reads the shop, refreshes with rotation and uninstalls', async () => {
    const consent = await submitConsent(authorizeUrl(), 'Allow');
    expect(consent.status).toBe(302);
    const location = new URL(consent.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect([...location.searchParams.keys()]).toEqual([
      'code',
      'hmac',
      'host',
      'shop',
      'state',
      'timestamp',
    ]);
    expect(location.searchParams.get('shop')).toBe(SHOP);
    expect(Buffer.from(location.searchParams.get('host') ?? '', 'base64').toString('utf8')).toBe(
      'admin.shopify.com/store/acme-test',
    );
    const timestamp = Number(location.searchParams.get('timestamp'));
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(90);
    expect(location.searchParams.get('hmac')).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyShopifyHmac(location.searchParams, CLIENT_SECRET)).toBe(true);
    const callback = oauth.validateAuthResponse(as(), client, location, 'state-123');

    const tokens = await exchange(callback);
    expect(Object.keys(tokens).sort()).toEqual(
      ['access_token', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope'].sort(),
    );
    expect(tokens).toMatchObject({
      scope: 'read_products,write_orders',
      expires_in: 3600,
      refresh_token_expires_in: expect.any(Number),
    });

    const shop = await getShop(tokens.access_token);
    expect(shop.status).toBe(200);
    expect(shop.headers.get('x-shopify-api-version')).toBe(API_VERSION);
    expect(await shop.json()).toEqual({
      shop: expect.objectContaining({
        id: expect.any(Number),
        name: 'Acme Store',
        email: 'ada@acme.example',
        domain: SHOP,
        myshopify_domain: SHOP,
        shop_owner: 'Ada Lovelace',
      }),
    });

    const rotated = await refresh(tokens.refresh_token ?? '');
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as ShopifyToken;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next).toMatchObject({ scope: 'read_products,write_orders', expires_in: 3600 });
    expect((await getShop(tokens.access_token)).status).toBe(401);
    expect((await getShop(next.access_token)).status).toBe(200);

    // Once the replacement has been used, the rotated-out refresh token is dead.
    const third = (await (await refresh(next.refresh_token ?? '')).json()) as ShopifyToken;
    const reused = await refresh(tokens.refresh_token ?? '');
    await expectJson(reused, 400, { error: 'invalid_grant' });

    const removed = await uninstall(third.access_token);
    await expectJsonEqual(removed, 200, {});
    const after = await getShop(third.access_token);
    await expectJsonEqual(after, 401, INVALID_TOKEN);
    expect((await refresh(third.refresh_token ?? '')).status).toBe(400);

    // Reinstalling works and yields working tokens again.
    const again = await exchange(await authorize());
    expect((await getShop(again.access_token)).status).toBe(200);
  });

  it('signs every callback so that a tampered parameter fails verification', async () => {
    const consent = await submitConsent(authorizeUrl({ state: 'a b+c/d&é' }), 'Allow');
    const query = new URL(consent.location ?? '').searchParams;
    expect(query.get('state')).toBe('a b+c/d&é');
    expect(verifyShopifyHmac(query, CLIENT_SECRET)).toBe(true);
    expect(verifyShopifyHmac(query, 'another-secret')).toBe(false);
    for (const [key, value] of [
      ['shop', OTHER_SHOP],
      ['timestamp', String(Number(query.get('timestamp')) + 1)],
      ['state', 'forged'],
      ['code', 'forged-code'],
    ] as const) {
      const tampered = new URLSearchParams(query);
      tampered.set(key, value);
      expect(verifyShopifyHmac(tampered, CLIENT_SECRET)).toBe(false);
    }
    const extra = new URLSearchParams(query);
    extra.append('admin', '1');
    expect(verifyShopifyHmac(extra, CLIENT_SECRET)).toBe(false);
  });

  it('shows an install page with the store, the scopes and the brand', async () => {
    const page = await fetch(authorizeUrl());
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Shopify');
    expect(html).toContain('#008060');
    expect(html).toContain(`Acme Store (${SHOP})`);
    expect(html).toContain('View products');
    expect(html).toContain('Modify orders');
    expect(html).not.toContain(CLIENT_SECRET);
  });

  it('issues a non-expiring offline token without expiring=1 to an app created before 2026-04-01', async () => {
    await legacyApp();
    const tokens = await exchange(await authorize(), SHOP, false);
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'scope']);
    await mock.control.advanceClock(7 * 86_400);
    expect((await getShop(tokens.access_token)).status).toBe(200);
  });

  it('issues an online token with the associated user for grant_options[]=per-user', async () => {
    const tokens = (await exchange(
      await authorize({ 'grant_options[]': 'per-user' }),
    )) as ShopifyToken & { associated_user: unknown; associated_user_scope: string };
    expect(tokens).toMatchObject({
      scope: 'read_products,write_orders',
      expires_in: 86_400,
      associated_user_scope: 'read_products,write_orders',
      associated_user: {
        id: 70_000_000_001,
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'ada@acme.example',
        account_owner: true,
      },
    });
    expect(tokens.refresh_token).toBeUndefined();
    expect((await getShop(tokens.access_token)).status).toBe(200);
  });

  it('expires access tokens after an hour', async () => {
    const tokens = await exchange(await authorize());
    await mock.control.advanceClock(3601);
    expect((await getShop(tokens.access_token)).status).toBe(401);
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(200);
  });

  it('keeps a rotated-out refresh token usable until its replacement is used', async () => {
    const tokens = await exchange(await authorize());
    const lost = await refresh(tokens.refresh_token ?? ''); // response "lost" by the client
    expect(lost.status).toBe(200);
    const retried = await refresh(tokens.refresh_token ?? '');
    expect(retried.status).toBe(200);
    const current = (await retried.json()) as ShopifyToken;
    // The never-used replacement from the lost response was superseded by the retry.
    const lostToken = ((await lost.json()) as ShopifyToken).refresh_token ?? '';
    expect((await refresh(lostToken)).status).toBe(400);
    expect((await refresh(current.refresh_token ?? '')).status).toBe(200);
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(400);
  });

  it('expires refresh tokens after refresh_token_expires_in', async () => {
    const tokens = await exchange(await authorize());
    await mock.control.advanceClock((tokens.refresh_token_expires_in ?? 0) + 1);
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(400);
  });

  it('keeps two shops independent', async () => {
    const a = await exchange(await authorize());
    const b = await exchange(await authorize({}, OTHER_SHOP), OTHER_SHOP);
    const shopA = (await (await getShop(a.access_token)).json()) as { shop: { id: number } };
    const shopB = (await (await getShop(b.access_token, OTHER_SHOP)).json()) as {
      shop: { id: number; myshopify_domain: string };
    };
    expect(shopB.shop.myshopify_domain).toBe(OTHER_SHOP);
    expect(shopB.shop.id).not.toBe(shopA.shop.id);

    // A token only opens its own store, and a refresh token only refreshes there.
    expect((await getShop(a.access_token, OTHER_SHOP)).status).toBe(401);
    expect((await refresh(a.refresh_token ?? '', OTHER_SHOP)).status).toBe(400);

    expect((await uninstall(a.access_token)).status).toBe(200);
    expect((await getShop(a.access_token)).status).toBe(401);
    expect((await getShop(b.access_token, OTHER_SHOP)).status).toBe(200);
  });

  it('tolerates a form-encoded exchange with grant_type=authorization_code', async () => {
    const callback = await authorize();
    const response = await postToken(
      SHOP,
      {
        grant_type: 'authorization_code',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code: callback.get('code') ?? '',
        expiring: '1',
      },
      false,
    );
    await expectJson(response, 200, { expires_in: 3600 });
  });

  it('ignores unknown authorize parameters', async () => {
    const callback = await authorize({ response_type: 'code', code_challenge: 'abc' });
    expect((await exchange(callback)).access_token).toMatch(/^shpat_/);
  });
});

describe('shopify authorize strictness', () => {
  it.each([
    ['a non-myshopify domain', 'evil.example.com'],
    ['a lookalike suffix', 'acme.myshopify.com.evil.com'],
    ['a leading hyphen', '-acme.myshopify.com'],
    ['a bare handle', 'acme'],
  ])('rejects %s as the shop', async (_name, shop) => {
    const response = await fetch(authorizeUrl({}, shop), { redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(response.headers.get('location')).toBeNull();
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['an unregistered redirect URI', { redirect_uri: 'http://evil.test/callback' }],
    ['a redirect URI that differs by a slash', { redirect_uri: `${REDIRECT_URI}/` }],
    ['space-separated scopes', { scope: 'read_products write_orders' }],
    ['an unknown scope shape', { scope: 'admin' }],
  ])('shows an error page, never a redirect, for %s', async (_name, params) => {
    const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Oauth error');
  });

  it('does not call the app back when the merchant cancels', async () => {
    const consent = await submitConsent(authorizeUrl(), 'Deny');
    expect(consent.status).toBe(200);
    expect(consent.location).toBeNull();
  });
});

describe('shopify token strictness', () => {
  it('rejects a wrong client secret', async () => {
    const callback = await authorize();
    const response = await postToken(SHOP, {
      client_id: CLIENT_ID,
      client_secret: 'wrong',
      code: callback.get('code'),
    });
    await expectJson(response, 401, { error: 'invalid_client' });
  });

  it('rejects client credentials sent with HTTP Basic instead of the body', async () => {
    const callback = await authorize();
    const response = await fetch(`${admin()}/oauth/access_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: basicAuth(CLIENT_ID, CLIENT_SECRET),
      },
      body: JSON.stringify({ code: callback.get('code'), expiring: '1' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/HTTP Basic/);
  });

  it('accepts a code once only', async () => {
    const callback = await authorize();
    await exchange(callback);
    const reused = await postToken(SHOP, {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code: callback.get('code'),
    });
    await expectJsonEqual(reused, 400, CODE_NOT_FOUND);
  });

  it('rejects a code at another store, an unknown code and an expired code', async () => {
    const body = (code: string | null) => ({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code,
    });
    const elsewhere = await postToken(OTHER_SHOP, body((await authorize()).get('code')));
    await expectJsonEqual(elsewhere, 400, CODE_NOT_FOUND);

    const unknown = await postToken(SHOP, body('not-a-code'));
    expect(await unknown.json()).toEqual(CODE_NOT_FOUND);

    const code = (await authorize()).get('code');
    await mock.control.advanceClock(601);
    const expired = await postToken(SHOP, body(code));
    await expectJsonEqual(expired, 400, CODE_NOT_FOUND);
  });

  it("rejects another app's refresh token", async () => {
    await mock.control.registerClient({
      provider: 'shopify',
      clientId: 'other-app',
      clientSecret: 'other-secret',
      redirectUris: [REDIRECT_URI],
    });
    const tokens = await exchange(await authorize());
    const response = await postToken(SHOP, {
      client_id: 'other-app',
      client_secret: 'other-secret',
      refresh_token: tokens.refresh_token,
      grant_type: 'refresh_token',
    });
    await expectJson(response, 400, { error: 'invalid_grant' });
  });
});

describe('shopify api strictness', () => {
  it('accepts X-Shopify-Access-Token only, not Bearer', async () => {
    const tokens = await exchange(await authorize());
    const bearer = await fetch(`${admin()}/api/${API_VERSION}/shop.json`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    await expectJsonEqual(bearer, 401, INVALID_TOKEN);
    const unknown = await getShop('shpat_unknown');
    await expectJsonEqual(unknown, 401, INVALID_TOKEN);
    expect((await uninstall('shpat_unknown')).status).toBe(401);
  });

  it('refuses a non-expiring token to an app created from 2026-04-01 (every app not marked older)', async () => {
    const response = await postToken(SHOP, {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code: (await authorize()).get('code'),
    });
    await expectJsonEqual(response, 400, {
      error: 'invalid_request',
      error_description: 'This app must request an expiring offline access token (expiring=1).',
    });
  });

  it('from 2027-01-01 ends the non-expiring tokens of older apps, and issues none', async () => {
    await legacyApp();
    const tokens = await exchange(await authorize(), SHOP, false);
    await moveClockTo(Date.UTC(2027, 0, 1));
    await expectJsonEqual(await getShop(tokens.access_token), 401, INVALID_TOKEN);
    const again = await postToken(SHOP, {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code: (await authorize()).get('code'),
    });
    expect(again.status).toBe(400);
    // Expiring tokens keep working.
    expect((await getShop((await exchange(await authorize())).access_token)).status).toBe(200);
  });

  it('serves a retired API version as the oldest supported one and says so in the header', async () => {
    // 2028-02-15: 2027-01 retired on 2028-01-01, 2027-04 is the oldest supported, 2028-04 the
    // release candidate.
    await moveClockTo(Date.UTC(2028, 1, 15));
    const token = (await exchange(await authorize())).access_token;
    for (const [asked, served] of [
      ['2025-10', '2027-04'],
      ['2027-01', '2027-04'],
      ['2027-04', '2027-04'],
      ['2028-01', '2028-01'],
      ['2028-04', '2028-04'],
      ['unstable', 'unstable'],
    ]) {
      const response = await getShop(token, SHOP, asked);
      expect(response.status, asked).toBe(200);
      expect(response.headers.get('x-shopify-api-version'), asked).toBe(served);
    }
    await expectJsonEqual(await getShop(token, SHOP, '2028-07'), 404, { errors: 'Not Found' });
  });

  it('answers 404 for an API version that does not exist', async () => {
    const tokens = await exchange(await authorize());
    const response = await getShop(tokens.access_token, SHOP, 'v1');
    await expectJsonEqual(response, 404, { errors: 'Not Found' });
  });

  it('answers injected faults in Shopify’s shapes', async () => {
    await mock.control.fault({ provider: 'shopify', endpoint: 'token', kind: 'invalid_grant' });
    const faulted = await postToken(SHOP, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    await expectJsonEqual(faulted, 400, CODE_NOT_FOUND);
    expect(await mock.control.requests({ provider: 'shopify', endpoint: 'token' })).toEqual([
      expect.objectContaining({ path: `/shopify/store/${SHOP}/admin/oauth/access_token` }),
    ]);
  });
});
