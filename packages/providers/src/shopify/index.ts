import { PlugboardError } from '@plugboard/contracts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  defineOAuth2Provider,
  expectRevoked,
  fetchIdentityResponse,
  resolveEndpoint,
} from '../engines/oauth2';
import { SHOPIFY_API_VERSION, servedApiVersion, shopifyApiVersion } from './api-versions';
import { accountLabel } from '../label';
import type { OAuth2Endpoints, OAuth2Provider, ProviderCallContext } from '../types';
import type { Metadata } from './metadata';
import { siShopify } from 'simple-icons';
import { brandFrom } from '../brand';

// The Admin API version: pinned per connection, falling forward when Shopify retires it.
export { SHOPIFY_API_VERSION, SHOPIFY_API_VERSIONS, shopifyApiVersion } from './api-versions';

/**
 * Shopify's anchored shop check (app security checks, "weak shop validation"). The shop picks
 * the host the code and client secret are sent to, so nothing looser is ever accepted.
 */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** How far a callback's `timestamp` may be from now: shopify-api-js's tolerance. */
const TIMESTAMP_TOLERANCE_SECONDS = 90;

/**
 * Expiring offline token (`expiring: "1"`):
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens.
 */
const ShopifyTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  scope: z.string().nullish(),
  expires_in: z.number().nullish(),
  refresh_token: z.string().nullish(),
  refresh_token_expires_in: z.number().nullish(),
});

/** `GET /admin/api/{version}/shop.json`. */
const ShopSchema = z.looseObject({
  shop: z.looseObject({
    id: z.number(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    domain: z.string().nullish(),
    myshopify_domain: z.string(),
    shop_owner: z.string().nullish(),
    country_code: z.string().nullish(),
    currency: z.string().nullish(),
    iana_timezone: z.string().nullish(),
    plan_name: z.string().nullish(),
  }),
});

const ShopifyErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

// Every endpoint lives on the store's own host, which the base URL carries as `{shop}`.
/** The code is generic (INPUT_INVALID); this says which input and what form it takes. */
const SHOP_FORM = 'That is not a valid shop domain. Use the form your-shop.myshopify.com.';

const endpoints = {
  authorize: '/admin/oauth/authorize',
  token: '/admin/oauth/access_token',
  revoke: '/admin/api_permissions/current.json',
  identity: `/admin/api/${SHOPIFY_API_VERSION}/shop.json`,
} satisfies OAuth2Endpoints;

/**
 * What a person types, made canonical: `https://Acme-Store.myshopify.com/`, `acme-store` and
 * the admin URL `admin.shopify.com/store/acme-store` all mean `acme-store.myshopify.com`.
 */
export function normalizeShop(input: string | undefined): string {
  const raw = (input ?? '')
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .replace(/^admin\.shopify\.com\/store\//, '');
  const shop = raw !== '' && !raw.includes('.') ? `${raw}.myshopify.com` : raw;
  if (!SHOP_DOMAIN.test(shop))
    throw new PlugboardError('INPUT_INVALID', SHOP_FORM, { input: 'shop' });
  return shop;
}

/**
 * The message Shopify signs on a callback (shopify-api-js `stringifyQueryForAdmin`): every
 * parameter but `hmac` and `signature`, sorted by key, URLSearchParams-encoded with `%20` for
 * spaces. Keys are compared by code unit, which for Shopify's lowercase keys is the order its
 * library's `localeCompare` gives, without depending on the runtime's locale.
 */
export function shopifySignedMessage(query: Record<string, string>): string {
  const entries = Object.entries(query)
    .filter(([key]) => key !== 'hmac' && key !== 'signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(entries).toString().replace(/\+/g, '%20');
}

function hmacValid(query: Record<string, string>, secret: string): boolean {
  const given = query.hmac;
  if (given === undefined || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = createHmac('sha256', secret).update(shopifySignedMessage(query)).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

/** The store a stored grant belongs to; every call after the connect goes to its host. */
function shopInputs(ctx: ProviderCallContext): Record<string, string> {
  const shop = ctx.inputs?.shop;
  if (shop === undefined || !SHOP_DOMAIN.test(shop))
    throw new PlugboardError('INPUT_INVALID', SHOP_FORM);
  return { shop };
}

export const shopify: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof ShopifyTokenResponseSchema>,
  Metadata
>({
  id: 'shopify',
  name: 'Shopify',
  description: 'Products, orders and customers of a Shopify store.',
  color: '#5e8e3e',
  brand: brandFrom(siShopify),
  liveBaseUrl: 'https://{shop}',
  mockBasePath: '/shopify/store/{shop}',
  inputs: [{ name: 'shop', label: 'Shop domain', placeholder: 'your-shop.myshopify.com' }],
  normalizeInputs: (inputs) => ({ shop: normalizeShop(inputs.shop) }),
  endpoints,
  scopes: ['read_products', 'read_orders'],
  scopeSeparator: ',',
  clientAuth: 'body',
  tokenBody: 'json',
  // Shopify's documented exchange is `{client_id, client_secret, code}`; `expiring: "1"` asks
  // for an expiring offline token with a rotating refresh token, which public apps must use.
  codeExchange: 'code-only',
  tokenParams: { expiring: '1' },
  // Shopify's authorization code grant has no PKCE
  // (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant);
  // the signed callback, the one-time state and the shop check bind the flow instead.
  pkce: false,
  authorizeParams: {},
  headers: {},
  verifyCallback(query, { config, inputs, now }) {
    // Authenticity first: nothing else in an unsigned query means anything.
    if (!hmacValid(query, config.clientSecret)) throw new PlugboardError('HMAC_INVALID');
    // A genuine response for another store must not complete this store's attempt.
    if (query.shop === undefined || query.shop !== inputs.shop) {
      throw new PlugboardError('INPUT_INVALID', SHOP_FORM);
    }
    const timestamp = query.timestamp;
    const skew =
      timestamp !== undefined && /^\d{1,12}$/.test(timestamp)
        ? Math.abs(now.getTime() / 1000 - Number(timestamp))
        : Infinity;
    // An old signed response replayed later is refused even though its signature holds.
    if (skew > TIMESTAMP_TOLERANCE_SECONDS) throw new PlugboardError('HMAC_INVALID');
  },
  inputsFromMetadata(metadata): Record<string, string> {
    return metadata.providerId === 'shopify' ? { shop: metadata.shop } : {};
  },
  // Every bad code (unknown, used, expired, another store's) is `invalid_request` "The
  // authorization code was not found or was already used": RFC 6749 calls that invalid_grant.
  normalizeTokenResponse(res) {
    const err = ShopifyErrorSchema.safeParse(res.body);
    if (
      res.status >= 400 &&
      err.success &&
      err.data.error === 'invalid_request' &&
      /authorization code/i.test(err.data.error_description ?? '')
    ) {
      return { status: res.status, body: { ...err.data, error: 'invalid_grant' } };
    }
    return res;
  },
  tokenResponse: ShopifyTokenResponseSchema,
  async identify(tokens, ctx) {
    const inputs = shopInputs(ctx);
    // A new connection asks for the default version (fallen forward if it retired meanwhile)
    // and keeps the one Shopify says answered.
    const asked = shopifyApiVersion(SHOPIFY_API_VERSION, ctx.now ?? new Date());
    const { body, headers } = await fetchIdentityResponse(shopify, ctx, {
      url: resolveEndpoint(`/admin/api/${asked}/shop.json`, ctx.config, inputs),
      accessToken: tokens.accessToken,
      schema: ShopSchema,
      tokenHeader: 'x-shopify-access-token',
    });
    const { shop } = body;
    // The stored shop is where refresh and revoke go: it must be the store the token is for.
    if (shop.myshopify_domain.toLowerCase() !== inputs.shop) {
      throw new PlugboardError(
        'PROVIDER_ERROR',
        'Shopify answered for a different store than the one being connected. Start connecting again.',
      );
    }
    const metadata: Metadata = {
      providerId: 'shopify',
      shop: inputs.shop,
      shopId: shop.id,
      name: shop.name ?? null,
      email: shop.email ?? null,
      domain: shop.domain ?? null,
      shopOwner: shop.shop_owner ?? null,
      countryCode: shop.country_code ?? null,
      currency: shop.currency ?? null,
      timezone: shop.iana_timezone ?? null,
      planName: shop.plan_name ?? null,
      apiVersion: servedApiVersion(headers) ?? asked,
    };
    return {
      // A store is the account: installs are per store, not per staff member (offline token).
      accountId: inputs.shop,
      label: accountLabel(shop.name, inputs.shop, inputs.shop),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Uninstalls the app from the store: every token of the install stops working.
    const res = await ctx.http.request('shopify', {
      method: 'DELETE',
      url: resolveEndpoint(endpoints.revoke, ctx.config, shopInputs(ctx)),
      headers: { 'x-shopify-access-token': tokens.accessToken },
    });
    expectRevoked(shopify, res);
  },
});
