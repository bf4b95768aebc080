import type { FastifyRequest } from 'fastify';
import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ShopifyAccount } from './account';
import type { createShopifyApiKeys } from './api-keys';
import { apiErrors, INVALID_TOKEN } from './responses';
import { shopDomain } from './shop';
import type { ShopifyStores } from './stores';

const API_VERSION = /^(\d{4}-(01|04|07|10)|unstable)$/;

/**
 * `GET /admin/api/{version}/products.json` on a store's host
 * (https://shopify.dev/docs/api/admin-rest/latest/resources/product#get-products): the Admin API
 * reads the token from `X-Shopify-Access-Token` only (never `Authorization`,
 * https://shopify.dev/docs/api/admin-rest#authentication), valid for the one shop it was
 * issued on, and answers 401 `{"errors":"[API] Invalid API key or access token …"}` otherwise.
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ShopifyAccount>,
  stores: ShopifyStores,
  apiKeys: ReturnType<typeof createShopifyApiKeys>,
): void {
  const shopOf = (request: FastifyRequest) => shopDomain(request.params);
  const api = dataApi(router, ctx, {
    before: (request, reply) => {
      const version = (request.params as { version?: string }).version;
      if (shopOf(request) === undefined || (version !== undefined && !API_VERSION.test(version))) {
        return apiErrors(reply, 404, 'Not Found');
      }
      return undefined;
    },
    token: (request) => {
      const header = request.headers['x-shopify-access-token'];
      return typeof header === 'string' && header !== '' ? header : undefined;
    },
    find: (token, request) => {
      const shop = shopOf(request)!;
      const grant = stores.findAccess(token, shop);
      if (grant) return grant.data.account;
      const custom = apiKeys.find(token);
      return custom?.values['shop'] === shop ? custom.account : undefined;
    },
    refuse: (reply) => apiErrors(reply, 401, INVALID_TOKEN),
    unavailable: (reply) => apiErrors(reply, 503, 'Service Unavailable'),
    echoPath: '/store/:shop/__control/echo',
  });

  api.route({
    path: '/store/:shop/admin/api/:version/products.json',
    handle: (_account, request, reply) =>
      reply.header('x-shopify-api-version', (request.params as { version: string }).version).send({
        products: [
          {
            id: 8_123_456_789_001,
            title: 'Plugboard Tee',
            handle: 'plugboard-tee',
            status: 'active',
            vendor: shopOf(request),
            product_type: 'Shirts',
            created_at: '2023-11-14T22:13:20Z',
            variants: [{ id: 45_123_456_789_001, price: '25.00', sku: 'PB-TEE-M' }],
          },
        ],
      }),
  });
}
