import { randomBytes } from 'node:crypto';
import { createApiKeyStore, type ApiKeyStore } from '../core/api-keys';
import type { ProviderContext } from '../core/personality';
import type { ShopifyAccount } from './account';
import { shopDomain } from './shop';

/** The shop a control call issues for when it names none. */
const DEFAULT_SHOP = 'plugboard-dev.myshopify.com';

/**
 * Admin API access tokens of custom apps made in a store's admin (`shpat_…`,
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin)
 * for the `shopify-custom-app` provider: each works on its own shop only.
 */
export function createShopifyApiKeys(ctx: ProviderContext): ApiKeyStore<ShopifyAccount> {
  return createApiKeyStore(ctx, {
    provider: 'shopify-custom-app',
    secretField: 'accessToken',
    issue: (body): Record<string, string> | { error: string } => {
      const shop = body['shop'] === undefined ? DEFAULT_SHOP : shopDomain({ shop: body['shop'] });
      if (shop === undefined)
        return { error: '"shop" must be a shop domain such as acme.myshopify.com.' };
      return { shop, accessToken: `shpat_${randomBytes(16).toString('hex')}` };
    },
    account: () => ctx.currentAccount() as ShopifyAccount,
    dev: { shop: DEFAULT_SHOP, accessToken: 'shpat_devPlugboardMockCustomApp0001' },
  });
}
