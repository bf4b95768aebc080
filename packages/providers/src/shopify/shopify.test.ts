import { PlugboardError } from '@plugboard/contracts';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import { buildAuthorizationUrl, exchangeCode, resolveEndpoint } from '../engines/oauth2';
import { ProviderHttp } from '../http';
import type { IntegrationConfig } from '../types';
import { normalizeShop, shopifySignedMessage } from '.';

const shopify = getProvider('shopify');
const SHOP = 'acme-store.myshopify.com';
const mock: IntegrationConfig = {
  providerId: 'shopify',
  mode: 'mock',
  clientId: 'app-id',
  clientSecret: 'hush',
  baseUrl: 'http://127.0.0.1:4010/shopify/store/{shop}',
};
const live: IntegrationConfig = { ...mock, mode: 'live', baseUrl: shopify.liveBaseUrl };

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(PlugboardError);
    return (e as PlugboardError).code;
  }
};

describe('shop input', () => {
  it.each([
    [SHOP, SHOP],
    ['acme-store', SHOP],
    ['  Acme-Store.MyShopify.com ', SHOP],
    ['https://acme-store.myshopify.com/', SHOP],
    ['admin.shopify.com/store/acme-store', SHOP],
    ['7shop', '7shop.myshopify.com'],
  ])('%j → %s', (input, shop) => {
    expect(shopify.normalizeInputs!({ shop: input })).toEqual({ shop });
  });

  it.each([
    'evil.com',
    'a.myshopify.com.evil.com',
    '-x.myshopify.com',
    'x_y.myshopify.com',
    'acme-store.myshopify.com/admin',
    'acme-store.myshopify.com:443',
    'user@acme-store.myshopify.com',
    'acme%2estore',
    '',
    '   ',
  ])('refuses %j with INPUT_INVALID', (input) => {
    expect(codeOf(() => normalizeShop(input))).toBe('INPUT_INVALID');
  });

  it('says which input is wrong and the form it takes, as SHOP_INVALID did', () => {
    expect(() => normalizeShop('evil.com')).toThrow(
      'That is not a valid shop domain. Use the form your-shop.myshopify.com.',
    );
  });

  it('requires the shop, and keeps nothing else', () => {
    expect(codeOf(() => shopify.normalizeInputs!({}))).toBe('INPUT_INVALID');
    expect(shopify.normalizeInputs!({ shop: 'acme-store', extra: 'x' })).toEqual({ shop: SHOP });
  });
});

describe('per-store endpoints', () => {
  it('puts the shop in the base URL, live and on the mock', () => {
    expect(resolveEndpoint(shopify.endpoints.token, live, { shop: SHOP })).toBe(
      `https://${SHOP}/admin/oauth/access_token`,
    );
    expect(resolveEndpoint(shopify.endpoints.revoke!, mock, { shop: SHOP })).toBe(
      `http://127.0.0.1:4010/shopify/store/${SHOP}/admin/api_permissions/current.json`,
    );
    expect(() => resolveEndpoint(shopify.endpoints.token, live)).toThrow(/shop/);
  });

  it('asks for comma-separated scopes on the store, without PKCE', () => {
    const url = new URL(
      buildAuthorizationUrl(shopify, live, {
        redirectUri: 'https://pb.example/oauth/callback/shopify',
        state: 's1',
        codeChallenge: null,
        inputs: { shop: SHOP },
      }),
    );
    expect(url.origin + url.pathname).toBe(`https://${SHOP}/admin/oauth/authorize`);
    expect(url.searchParams.get('scope')).toBe('read_products,read_orders');
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('exchanges a code with the documented JSON body: credentials, code, expiring', async () => {
    const sent: { url: string; body: unknown }[] = [];
    const http = new ProviderHttp({
      timeoutMs: 1000,
      fetch: async (url, init) => {
        sent.push({ url: String(url), body: JSON.parse(String(init?.body)) });
        return Response.json({
          access_token: 'shpat_1',
          scope: 'read_products,read_orders',
          expires_in: 3600,
          refresh_token: 'shprt_1',
          refresh_token_expires_in: 2592000,
        });
      },
    });
    const now = new Date('2026-01-01T00:00:00Z');
    const tokens = await exchangeCode(
      shopify,
      { http, config: live, inputs: { shop: SHOP } },
      {
        code: 'c1',
        redirectUri: 'https://pb.example/oauth/callback/shopify',
        codeVerifier: null,
        tokenUrl: `https://${SHOP}/admin/oauth/access_token`,
        now,
      },
    );
    expect(sent).toEqual([
      {
        url: `https://${SHOP}/admin/oauth/access_token`,
        body: { client_id: 'app-id', client_secret: 'hush', code: 'c1', expiring: '1' },
      },
    ]);
    expect(tokens).toMatchObject({
      accessToken: 'shpat_1',
      refreshToken: 'shprt_1',
      scopes: ['read_products', 'read_orders'],
      expiresAt: new Date('2026-01-01T01:00:00Z'),
    });
  });
});

describe('callback verification', () => {
  // Shopify's documented example (help.shopify.com …/oauth#verification), secret "hush": the
  // legacy `signature` parameter is not part of the signed message.
  const documented = {
    code: '0907a61c0c8d55e99db179b68161bc00',
    hmac: '4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20',
    shop: 'some-shop.myshopify.com',
    signature: '11813d1e7bbf4629edcda0628a3f7a20',
    timestamp: '1337178173',
  };
  const at = (seconds: number) => new Date(seconds * 1000);
  const verify = (
    query: Record<string, string>,
    shop = 'some-shop.myshopify.com',
    now = 1337178173,
  ) =>
    codeOf(() => shopify.verifyCallback!(query, { config: mock, inputs: { shop }, now: at(now) }));
  const signed = (q: Record<string, string>) => ({
    ...q,
    hmac: createHmac('sha256', 'hush').update(shopifySignedMessage(q)).digest('hex'),
  });

  it("accepts Shopify's documented example", () => {
    expect(verify(documented)).toBeUndefined();
    expect(verify({ ...documented, hmac: documented.hmac.toUpperCase() })).toBeUndefined();
  });

  it('signs sorted keys, URLSearchParams-encoded with %20 for spaces', () => {
    expect(shopifySignedMessage({ state: 'a b+c', code: 'x&y=z', hmac: 'h' })).toBe(
      'code=x%26y%3Dz&state=a%20b%2Bc',
    );
  });

  it.each([
    ['a changed value', { ...documented, code: 'x' }],
    ['an added parameter', { ...documented, state: 's' }],
    ['no hmac', { ...documented, hmac: '' }],
    ['a short hmac', { ...documented, hmac: documented.hmac.slice(0, 62) }],
    ['a non-hex hmac', { ...documented, hmac: 'z'.repeat(64) }],
  ])('refuses %s with HMAC_INVALID', (_what, query) => {
    expect(verify(query)).toBe('HMAC_INVALID');
  });

  it('refuses a signed response for another store than the attempt with INPUT_INVALID', () => {
    expect(verify(documented, 'acme-store.myshopify.com')).toBe('INPUT_INVALID');
    const { shop: _shop, ...noShop } = documented;
    expect(verify(signed(noShop))).toBe('INPUT_INVALID');
  });

  it('accepts a timestamp within 90 s either way, and refuses one outside or missing', () => {
    expect(verify(documented, undefined, 1337178173 + 90)).toBeUndefined();
    expect(verify(documented, undefined, 1337178173 - 90)).toBeUndefined();
    expect(verify(documented, undefined, 1337178173 + 91)).toBe('HMAC_INVALID');
    expect(verify(documented, undefined, 1337178173 - 91)).toBe('HMAC_INVALID');
    const { timestamp: _t, ...noTimestamp } = documented;
    expect(verify(signed(noTimestamp))).toBe('HMAC_INVALID');
    expect(verify(signed({ ...noTimestamp, timestamp: '1337178173.5' }))).toBe('HMAC_INVALID');
  });

  it('rebuilds a stored connection’s shop from its metadata', () => {
    expect(
      shopify.inputsFromMetadata!({
        providerId: 'shopify',
        shop: SHOP,
        shopId: 1,
        name: null,
        email: null,
        domain: null,
        shopOwner: null,
        countryCode: null,
        currency: null,
        timezone: null,
        planName: null,
      }),
    ).toEqual({ shop: SHOP });
  });
});
