import { createHmac, timingSafeEqual } from 'node:crypto';

/** A verified Shopify webhook: its topic and the shop it is about. */
export interface ShopifyWebhook {
  topic: string;
  /** `X-Shopify-Shop-Domain`, e.g. `acme.myshopify.com` (Plugboard's Shopify account id). */
  shop: string;
}

/**
 * Verifies a Shopify webhook: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw
 * request body keyed with the app's client secret; the topic and shop come from
 * `X-Shopify-Topic` / `X-Shopify-Shop-Domain`
 * (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify).
 * `app/uninstalled` is sent when a merchant uninstalls the app
 * (https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-app/uninstalled).
 * Returns null unless the signature matches (compared in constant time).
 */
export function verifyShopifyWebhook(
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  clientSecret: string,
): ShopifyWebhook | null {
  const header = one(headers['x-shopify-hmac-sha256']);
  const topic = one(headers['x-shopify-topic']);
  const shop = one(headers['x-shopify-shop-domain']);
  if (!header || !topic || !shop || !clientSecret) return null;
  const expected = createHmac('sha256', clientSecret).update(rawBody).digest();
  const given = Buffer.from(header, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { topic, shop: shop.toLowerCase() };
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
