import { createHash, createHmac } from 'node:crypto';

/** Shopify's own anchored check (weak-shop-validation doc): a full `<handle>.myshopify.com`. */
const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;

/** The validated shop domain from a `/store/:shop/…` route, or undefined. */
export function shopDomain(params: unknown): string | undefined {
  const shop = (params as { shop?: unknown } | undefined)?.shop;
  return typeof shop === 'string' && SHOP_DOMAIN.test(shop) ? shop : undefined;
}

export function shopHandle(shop: string): string {
  return shop.slice(0, -'.myshopify.com'.length);
}

/** The callback's `host`: base64 of the admin URL, unpadded like Shopify sends it. */
export function shopHost(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shopHandle(shop)}`)
    .toString('base64')
    .replace(/=+$/, '');
}

/** A numeric shop id that is stable per shop domain, so each store keeps its own id. */
export function shopId(shop: string): number {
  const hash = createHash('sha256').update(shop.toLowerCase()).digest();
  return 60_000_000_000 + (hash.readUInt32BE(0) % 1_000_000_000);
}

/**
 * Signs callback parameters the way Shopify does (and shopify-api-js verifies): every parameter
 * but `hmac`/`signature`, keys sorted, serialised with URLSearchParams with `+` as `%20`,
 * HMAC-SHA256 keyed with the app's client secret, hex.
 */
export function signQuery(params: Record<string, string>, clientSecret: string): string {
  const entries = Object.entries(params)
    .filter(([key]) => key !== 'hmac' && key !== 'signature')
    .sort(([a], [b]) => a.localeCompare(b));
  const message = new URLSearchParams(entries).toString().replace(/\+/g, '%20');
  return createHmac('sha256', clientSecret).update(message).digest('hex');
}
