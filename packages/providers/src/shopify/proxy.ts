import { endpointBase, type ProxyAuth, type ProxyCredentials, type ProxySpec } from '../proxy';

/** A store's permanent host (https://shopify.dev/docs/apps/build/authentication-authorization). */
export const MYSHOPIFY_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Shopify's Admin API reads the token from `X-Shopify-Access-Token`, not `Authorization`. */
export const shopifyTokenAuth = (c: ProxyCredentials): ProxyAuth => ({
  headers: { 'x-shopify-access-token': c.accessToken },
});

/**
 * The store's own host (`<shop>.myshopify.com`, from the connection's metadata, never from the
 * caller), with the token in `X-Shopify-Access-Token`
 * (https://shopify.dev/docs/api/admin-rest#authentication).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: [MYSHOPIFY_HOST],
  base: endpointBase('', (m) => ({ shop: m.providerId === 'shopify' ? m.shop : '' })),
  auth: shopifyTokenAuth,
};
