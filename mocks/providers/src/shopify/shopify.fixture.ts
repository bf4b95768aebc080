import { createHmac, timingSafeEqual } from 'node:crypto';
import type * as oauth from 'oauth4webapi';
import { expect } from 'vitest';
import { allowConsent, urlWithParams, useTestMock } from '../testing/harness';

/**
 * What the Shopify personality's tests share: the test app, stores and Shopify's error bodies,
 * the mock (started by `useTestMock` when a test file imports this, so each file has its own),
 * Shopify's documented HMAC check written independently of the mock, and the install / token /
 * Admin API calls. Tests: shopify-install.test.ts, shopify-strictness.test.ts, shopify-lifecycle.test.ts.
 */
export const CLIENT_ID = 'test-shopify';
export const CLIENT_SECRET = 'test-shopify-secret';
export const REDIRECT_URI = 'http://app.test/oauth/callback/shopify';
export const OTHER_REDIRECT_URI = 'http://app.test/other-callback';
export const SHOP = 'acme-test.myshopify.com';
export const OTHER_SHOP = 'other-store.myshopify.com';
export const API_VERSION = '2026-10';
export const INVALID_TOKEN = {
  errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
};
export const CODE_NOT_FOUND = {
  error: 'invalid_request',
  error_description: 'The authorization code was not found or was already used',
};

export const mock = useTestMock({
  provider: 'shopify',
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  name: 'Plugboard test',
  redirectUris: [REDIRECT_URI, OTHER_REDIRECT_URI],
});

export const admin = (shop = SHOP) => `${mock.url}/shopify/store/${shop}/admin`;
// Shopify's callback has no `iss`; oauth4webapi is used for what applies: state and error checks.
export const as = (shop = SHOP): oauth.AuthorizationServer => ({
  issuer: `https://${shop}`,
  authorization_endpoint: `${admin(shop)}/oauth/authorize`,
});
export const client: oauth.Client = { client_id: CLIENT_ID };

/**
 * Shopify's documented callback check, written here independently of the mock: drop `hmac` and
 * `signature`, sort the keys, serialise as `key=value` pairs joined by `&` with URL encoding
 * (spaces as %20), HMAC-SHA256 with the app secret, hex, constant-time compare.
 */
export function verifyShopifyHmac(query: URLSearchParams, secret: string): boolean {
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
export function encodeForm(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9*\-._]/.test(c)
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export function authorizeUrl(params: Record<string, string | undefined> = {}, shop = SHOP): string {
  return urlWithParams(`${admin(shop)}/oauth/authorize`, {
    client_id: CLIENT_ID,
    scope: 'read_products,write_orders',
    redirect_uri: REDIRECT_URI,
    state: 'state-123',
    'grant_options[]': '',
    ...params,
  });
}

export async function authorize(
  params: Record<string, string | undefined> = {},
  shop = SHOP,
): Promise<URLSearchParams> {
  return allowConsent(authorizeUrl(params, shop), as(shop), client, params.state);
}

export function postToken(shop: string, body: Record<string, unknown>, json = true) {
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

export interface ShopifyToken {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

/** shopify-api-js's exchange: JSON, credentials in the body, no grant_type. */
export async function exchange(callback: URLSearchParams, shop = SHOP, expiring = true) {
  const response = await postToken(shop, {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    code: callback.get('code'),
    ...(expiring ? { expiring: '1' } : {}),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ShopifyToken;
}

export function refresh(refreshToken: string, shop = SHOP) {
  return postToken(shop, {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    refresh_token: refreshToken,
    grant_type: 'refresh_token',
  });
}

/** Marks the test app as created before 2026-04-01 (it may use non-expiring tokens). */
export async function legacyApp() {
  const res = await mock.control.call('POST', '/shopify/apps', {
    clientId: CLIENT_ID,
    createdAt: '2025-06-01',
  });
  expect(res.status).toBe(200);
}

/** Moves the mock clock forward to `at` (ms since the epoch). */
export async function moveClockTo(at: number) {
  await mock.control.advanceClock(Math.ceil((at - Date.now()) / 1000));
}

export function getShop(token: string, shop = SHOP, version = API_VERSION) {
  return fetch(`${admin(shop)}/api/${version}/shop.json`, {
    headers: { 'x-shopify-access-token': token },
  });
}

export function uninstall(token: string, shop = SHOP) {
  return fetch(`${admin(shop)}/api_permissions/current.json`, {
    method: 'DELETE',
    headers: { 'x-shopify-access-token': token },
  });
}
