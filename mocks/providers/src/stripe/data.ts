import { dataApi } from '../core/data-api';
import { parseBasicAuth, parseBearer } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { StripeAccount } from './account';
import type { createStripeApiKeys } from './api-keys';
import { apiError, maskKey } from './responses';
import type { StripeStores } from './stores';

/**
 * `GET /v1/balance` (https://docs.stripe.com/api/balance/balance_retrieve): the account's
 * balance. api.stripe.com takes the key as a Bearer token or as the Basic user name
 * (https://docs.stripe.com/api/authentication) — a connected account's access token or a
 * restricted key — and answers 401 `invalid_request_error` otherwise
 * (https://docs.stripe.com/api/errors).
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<StripeAccount>,
  stores: StripeStores,
  apiKeys: ReturnType<typeof createStripeApiKeys>,
): void {
  const api = dataApi(router, ctx, {
    token: (request) => {
      const header = request.headers.authorization;
      const key = parseBearer(header) ?? parseBasicAuth(header)?.clientId;
      return key === '' ? undefined : key;
    },
    find: (key) => {
      const restricted = apiKeys.find(key);
      if (restricted) return restricted.account;
      const grant = stores.tokens.findByAccessToken(key);
      return grant && stores.isLive(grant) ? grant.data.account : undefined;
    },
    refuse: (reply, key) =>
      key === undefined
        ? apiError(
            reply,
            401,
            'invalid_request_error',
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
          )
        : apiError(
            reply,
            401,
            'invalid_request_error',
            `Invalid API Key provided: ${maskKey(key)}`,
          ),
    unavailable: (reply) =>
      apiError(reply, 503, 'api_error', 'Stripe is temporarily unavailable. Please retry.'),
  });

  api.route({
    path: '/v1/balance',
    handle: () => ({
      object: 'balance',
      available: [{ amount: 125_000, currency: 'usd', source_types: { card: 125_000 } }],
      connect_reserved: [{ amount: 0, currency: 'usd' }],
      livemode: false,
      pending: [{ amount: 4_200, currency: 'usd', source_types: { card: 4_200 } }],
    }),
  });
}
