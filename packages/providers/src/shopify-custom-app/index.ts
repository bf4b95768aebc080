import { PlugboardError } from '@plugboard/contracts';
import { siShopify } from 'simple-icons';
import { z } from 'zod';
import { brandFrom } from '../brand';
import { resolveEndpoint } from '../engines/oauth2';
import { accountLabel } from '../label';
import { defineApiKeyProvider, verifyWithProvider } from '../modes/api-key/define';
import { normalizeShop, SHOPIFY_API_VERSION } from '../shopify';
import type { ApiKeyProvider } from '../types';
import type { Metadata } from './metadata';

/** `GET /admin/api/{version}/shop.json` (https://shopify.dev/docs/api/admin-rest/latest/resources/shop). */
const ShopSchema = z.looseObject({
  shop: z.looseObject({
    id: z.number(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    myshopify_domain: z.string(),
  }),
});

/** Who the verification call's errors name. */
const PROVIDER = { id: 'shopify-custom-app', name: 'Shopify' } as const;

/** See README.md in this folder for the facts and their sources. */
export const shopifyCustomApp: ApiKeyProvider = defineApiKeyProvider({
  id: 'shopify-custom-app',
  name: 'Shopify (custom app)',
  description: 'A Shopify store, with the Admin API token of a custom app made in its admin.',
  color: '#95bf47',
  brand: brandFrom(siShopify),
  // The token is sent to the store's own host, which the shop field picks.
  liveBaseUrl: 'https://{shop}',
  mockBasePath: '/shopify/store/{shop}',
  fields: z.strictObject({
    shop: z
      .string()
      .transform((value, ctx) => {
        try {
          // The same anchored check as the OAuth app (../shopify/index.ts): it picks the host.
          return normalizeShop(value);
        } catch (err) {
          if (!(err instanceof PlugboardError)) throw err;
          ctx.addIssue({ code: 'custom', message: 'use the form your-shop.myshopify.com' });
          return z.NEVER;
        }
      })
      .meta({
        label: 'Shop domain',
        help: 'Your store’s myshopify.com address.',
        placeholder: 'your-shop.myshopify.com',
        secret: false,
      }),
    accessToken: z
      .string()
      .trim()
      .regex(/^shpat_[A-Za-z0-9]{16,200}$/, 'an Admin API access token starts with shpat_')
      .meta({
        label: 'Admin API access token',
        help: 'In your Shopify admin: Settings → Apps and sales channels → Develop apps → your app → API credentials → Admin API access token.',
        placeholder: 'shpat_…',
        secret: true,
      }),
  }),
  async verify(values, ctx) {
    const { shop } = await verifyWithProvider(PROVIDER, ctx, {
      method: 'GET',
      url: resolveEndpoint(`/admin/api/${SHOPIFY_API_VERSION}/shop.json`, ctx.config, {
        shop: values.shop,
      }),
      headers: { 'x-shopify-access-token': values.accessToken },
      schema: ShopSchema,
      field: 'accessToken',
      rejected: `${values.shop} did not accept this token. Check that you copied the Admin API access token of this store's app.`,
      notFound: { field: 'shop', message: `No Shopify store answers at ${values.shop}.` },
    });
    const metadata: Metadata = {
      providerId: 'shopify-custom-app',
      shop: shop.myshopify_domain,
      shopId: String(shop.id),
      shopName: shop.name ?? null,
      email: shop.email ?? null,
    };
    return {
      accountId: String(shop.id),
      label: accountLabel(shop.name, shop.myshopify_domain, values.shop),
      metadata,
    };
  },
});
