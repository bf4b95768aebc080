import type { FastifyRequest } from 'fastify';
import type { ProviderRouter } from '../core/personality';
import { apiErrors, INVALID_TOKEN, shopObject } from './responses';
import { shopDomain } from './shop';
import type { createShopifyApiKeys } from './api-keys';
import type { ShopifyStores } from './stores';
import { servedVersion } from './versions';

/** The Admin API token: `X-Shopify-Access-Token` only, never `Authorization: Bearer`. */
function accessToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-shopify-access-token'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/** `GET …/admin/api/{version}/shop.json` and `DELETE …/admin/api_permissions/current.json`. */
export function registerApiRoutes(
  router: ProviderRouter,
  clock: { now(): number },
  stores: ShopifyStores,
  apiKeys: ReturnType<typeof createShopifyApiKeys>,
): void {
  router.get('/store/:shop/admin/api/:version/shop.json', 'identity', async (request, reply) => {
    const shop = shopDomain(request.params);
    // A retired version falls forward to the oldest supported one (versions.ts).
    const version = servedVersion(
      (request.params as { version?: string }).version ?? '',
      clock.now(),
    );
    if (shop === undefined || version === undefined) {
      return apiErrors(reply, 404, 'Not Found');
    }
    const token = accessToken(request);
    const grant = token === undefined ? undefined : stores.findAccess(token, shop);
    // A custom app's Admin API token (the shopify-custom-app provider), for its own shop only.
    const custom = token === undefined ? undefined : apiKeys.find(token);
    const account =
      grant?.data.account ?? (custom?.values['shop'] === shop ? custom.account : undefined);
    if (account === undefined) return apiErrors(reply, 401, INVALID_TOKEN);
    return reply.header('x-shopify-api-version', version).send({ shop: shopObject(shop, account) });
  });

  router.route({
    method: 'DELETE',
    path: '/store/:shop/admin/api_permissions/current.json',
    endpoint: 'revoke',
    handler: async (request, reply) => {
      const shop = shopDomain(request.params);
      if (shop === undefined) return apiErrors(reply, 404, 'Not Found');
      const token = accessToken(request);
      const grant = token === undefined ? undefined : stores.findAccess(token, shop);
      if (grant === undefined) return apiErrors(reply, 401, INVALID_TOKEN);
      // Uninstalling ends the installation: every token of this app on this shop dies with it.
      stores.uninstall(shop, grant.clientId);
      return {};
    },
  });
}
