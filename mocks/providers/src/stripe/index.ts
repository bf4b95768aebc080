import { definePersonality } from '../core/personality';
import { defaultStripeAccount } from './account';
import { registerApiRoutes } from './api';
import { createStripeApiKeys } from './api-keys';
import { registerAuthorizeRoutes } from './authorize';
import { registerOAuthRoutes } from './oauth';
import { createStripeStores } from './stores';
import { registerDataRoutes } from './data';
import { faultTable, oauthErrorBody } from '../core/faults';

const brand = { name: 'Stripe', colour: '#635BFF' };
const RATE_LIMITED = 'Request rate limit exceeded. Please retry after a short wait.';

/**
 * Stripe Connect OAuth for Standard accounts (https://stripe.com/docs/connect/oauth-reference):
 * connect.stripe.com's `/oauth/…` and api.stripe.com's `/v1/…`, both under `/stripe`.
 */
export const stripe = definePersonality({
  id: 'stripe',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'data'],
  authorizeExample: { params: { scope: 'read_write' } },
  defaultAccount: defaultStripeAccount,
  // api.stripe.com nests its errors; connect.stripe.com's OAuth endpoints answer flat.
  faultResponse: faultTable(
    {
      error_500: [500, oauthErrorBody('server_error', 'An unknown error occurred')],
      rate_limit: [429, oauthErrorBody('rate_limit', RATE_LIMITED)],
      invalid_grant: [400, oauthErrorBody('invalid_grant', 'Authorization code does not exist')],
    },
    {
      data: {
        error_500: [500, { error: { type: 'api_error', message: 'An unknown error occurred' } }],
        rate_limit: [
          429,
          { error: { type: 'invalid_request_error', code: 'rate_limit', message: RATE_LIMITED } },
        ],
      },
      identity: {
        error_500: [500, { error: { type: 'api_error', message: 'An unknown error occurred' } }],
        rate_limit: [
          429,
          { error: { type: 'invalid_request_error', code: 'rate_limit', message: RATE_LIMITED } },
        ],
      },
    },
  ),
  register(router, ctx) {
    const stores = createStripeStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerOAuthRoutes(router, ctx, stores);
    const apiKeys = createStripeApiKeys(ctx);
    registerApiRoutes(router, stores, apiKeys);
    registerDataRoutes(router, ctx, stores, apiKeys);
  },
});
