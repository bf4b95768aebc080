import { endpointBase, type ProxySpec } from '../proxy';
import { MYSHOPIFY_HOST, shopifyTokenAuth } from '../shopify/proxy';

/**
 * A custom app's Admin API token on the store it was made in, in `X-Shopify-Access-Token`
 * (https://shopify.dev/docs/api/admin-rest#authentication): the shop comes from the connection.
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: [MYSHOPIFY_HOST],
  base: endpointBase('', (m) => ({ shop: m.providerId === 'shopify-custom-app' ? m.shop : '' })),
  auth: shopifyTokenAuth,
};
