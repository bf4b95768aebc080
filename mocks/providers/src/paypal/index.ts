import { definePersonality } from '../core/personality';
import { defaultPayPalAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { registerIdentityRoutes } from './identity';
import { debugId } from './responses';
import { createPayPalStores } from './stores';
import { registerTokenRoutes } from './token';

const brand = { name: 'PayPal', colour: '#003087' };

/**
 * Log in with PayPal, sandbox (https://developer.paypal.com/docs/log-in-with-paypal/integrate):
 * www.sandbox.paypal.com's `/signin/…` and api-m.sandbox.paypal.com's `/v1/…`, both under
 * `/paypal`.
 */
export const paypal = definePersonality({
  id: 'paypal',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'jwks', 'discovery'],
  authorizeExample: {
    params: { scope: 'openid profile email' },
    // The documented denial carries error, error_description and error_uri; state is not
    // listed, so it is checked only when present.
    deny: { kind: 'redirect', error: 'access_denied', stateRequired: false },
  },
  defaultAccount: defaultPayPalAccount,
  faultResponse(kind) {
    switch (kind) {
      case 'error_500':
        return {
          status: 500,
          body: {
            name: 'INTERNAL_SERVER_ERROR',
            message: 'An internal server error occurred.',
            debug_id: debugId(),
          },
        };
      case 'rate_limit':
        return {
          status: 429,
          body: {
            name: 'RATE_LIMIT_REACHED',
            message: 'Too many requests. Blocked due to rate limiting.',
            debug_id: debugId(),
          },
        };
      case 'invalid_grant':
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
        };
    }
  },
  register(router, ctx) {
    const stores = createPayPalStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerIdentityRoutes(router, ctx, stores);
  },
});
