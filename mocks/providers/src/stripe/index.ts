import { definePersonality } from '../core/personality';
import { defaultStripeAccount } from './account';
import { registerApiRoutes } from './api';
import { registerAuthorizeRoutes } from './authorize';
import { registerOAuthRoutes } from './oauth';
import { createStripeStores } from './stores';

const brand = { name: 'Stripe', colour: '#635BFF' };

/**
 * Stripe Connect OAuth for Standard accounts (https://stripe.com/docs/connect/oauth-reference):
 * connect.stripe.com's `/oauth/…` and api.stripe.com's `/v1/…`, both under `/stripe`.
 */
export const stripe = definePersonality({
  id: 'stripe',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke'],
  authorizeExample: { params: { scope: 'read_write' } },
  defaultAccount: defaultStripeAccount,
  faultResponse(kind, endpoint) {
    // api.stripe.com nests its errors; connect.stripe.com's OAuth endpoints answer flat.
    const api = endpoint === 'identity';
    switch (kind) {
      case 'error_500':
        return {
          status: 500,
          body: api
            ? { error: { type: 'api_error', message: 'An unknown error occurred' } }
            : { error: 'server_error', error_description: 'An unknown error occurred' },
        };
      case 'rate_limit': {
        const message = 'Request rate limit exceeded. Please retry after a short wait.';
        return {
          status: 429,
          body: api
            ? { error: { type: 'invalid_request_error', code: 'rate_limit', message } }
            : { error: 'rate_limit', error_description: message },
        };
      }
      case 'invalid_grant':
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Authorization code does not exist' },
        };
    }
  },
  register(router, ctx) {
    const stores = createStripeStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerOAuthRoutes(router, ctx, stores);
    registerApiRoutes(router, stores);
  },
});
