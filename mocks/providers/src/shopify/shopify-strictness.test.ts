import { describe, expect, it } from 'vitest';
import { basicAuth, expectJson, expectJsonEqual, submitConsent } from '../testing/harness';
import { expectErrorPage } from '../testing/harness';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  REDIRECT_URI,
  SHOP,
  OTHER_SHOP,
  API_VERSION,
  INVALID_TOKEN,
  CODE_NOT_FOUND,
  mock,
  admin,
  authorizeUrl,
  authorize,
  postToken,
  exchange,
  getShop,
  uninstall,
} from './shopify.fixture';

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
    const response = await expectErrorPage(authorizeUrl(params));
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
