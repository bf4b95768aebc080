import { createApiKeyStore, randomAlnum, type ApiKeyStore } from '../core/api-keys';
import type { ProviderContext } from '../core/personality';
import type { StripeAccount } from './account';

/**
 * Restricted API keys (`rk_test_…`, https://docs.stripe.com/keys/restricted-api-keys) for the
 * `stripe-restricted` provider: `GET /v1/account` with one answers the account that made it.
 * Every issued key may read the account (`connected_account_read`,
 * https://docs.stripe.com/keys/permissions-reference).
 */
export function createStripeApiKeys(ctx: ProviderContext): ApiKeyStore<StripeAccount> {
  return createApiKeyStore(ctx, {
    provider: 'stripe-restricted',
    secretField: 'apiKey',
    issue: () => ({ apiKey: `rk_test_51${randomAlnum(97)}` }),
    account: () => ctx.currentAccount() as StripeAccount,
    dev: { apiKey: 'rk_test_devPlugboardMockRestrictedKey0001' },
  });
}
