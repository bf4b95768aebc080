import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, expectJsonEqual, submitConsent } from '../testing/harness';
import type { ShopifyToken } from './shopify.fixture';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  REDIRECT_URI,
  SHOP,
  OTHER_SHOP,
  API_VERSION,
  INVALID_TOKEN,
  mock,
  as,
  client,
  verifyShopifyHmac,
  authorizeUrl,
  authorize,
  postToken,
  exchange,
  refresh,
  getShop,
  uninstall,
  legacyApp,
} from './shopify.fixture';

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
