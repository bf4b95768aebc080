import { parseBasicAuth, parseBearer } from '../core/oauth';
import type { ProviderRouter } from '../core/personality';
import { accountObject, apiError, maskKey } from './responses';
import type { createStripeApiKeys } from './api-keys';
import type { StripeStores } from './stores';

/** `GET /v1/account`: the connected account, called with the account's access token. */
export function registerApiRoutes(
  router: ProviderRouter,
  stores: StripeStores,
  apiKeys: ReturnType<typeof createStripeApiKeys>,
): void {
  router.get('/v1/account', 'identity', async (request, reply) => {
    // api.stripe.com takes the key as a Bearer token or as the Basic user name.
    const header = request.headers.authorization;
    const key = parseBearer(header) ?? parseBasicAuth(header)?.clientId;
    if (key === undefined || key === '') {
      return apiError(
        reply,
        401,
        'invalid_request_error',
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    }
    // A restricted key of the account itself (the stripe-restricted provider).
    const restricted = apiKeys.find(key);
    if (restricted) return accountObject(restricted.account);
    const grant = stores.tokens.findByAccessToken(key);
    if (grant === undefined || !stores.isLive(grant)) {
      return apiError(
        reply,
        401,
        'invalid_request_error',
        `Invalid API Key provided: ${maskKey(key)}`,
      );
    }
    return accountObject(grant.data.account);
  });
}
