import { definePersonality } from '../core/personality';
import { defaultShopifyAccount } from './account';
import { registerApiRoutes } from './api';
import { createShopifyApiKeys } from './api-keys';
import { registerAuthorizeRoutes } from './authorize';
import { registerTokenRoutes } from './token';
import { createShopifyStores } from './stores';
import { registerAppControl } from './app-control';
import { registerDataRoutes } from './data';
import { faultTable, oauthErrorBody } from '../core/faults';

const brand = { name: 'Shopify', colour: '#008060' };

/**
 * Shopify's authorization code grant for public apps
 * (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant).
 * Every store has its own host there (`{shop}.myshopify.com/admin/…`); here it is
 * `/shopify/store/{shop}/admin/…`.
 */
export const shopify = definePersonality({
  id: 'shopify',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'data'],
  authorizeExample: {
    pathParams: { shop: 'e2e-store.myshopify.com' },
    params: { scope: 'read_products' },
    responseType: false,
    // Shopify documents no error redirect: cancelling stays on Shopify.
    deny: { kind: 'page', text: 'Installation cancelled' },
  },
  defaultAccount: defaultShopifyAccount,
  faultResponse: faultTable({
    error_500: [500, { errors: 'Internal Server Error' }],
    rate_limit: [
      429,
      {
        errors:
          'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
      },
    ],
    invalid_grant: [
      400,
      oauthErrorBody('invalid_request', 'The authorization code was not found or was already used'),
    ],
  }),
  register(router, ctx) {
    const stores = createShopifyStores(ctx);
    registerAppControl(ctx, stores);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    const apiKeys = createShopifyApiKeys(ctx);
    registerApiRoutes(router, ctx.clock, stores, apiKeys);
    registerDataRoutes(router, ctx, stores, apiKeys);
  },
});
