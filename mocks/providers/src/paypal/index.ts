import { definePersonality } from '../core/personality';
import { defaultPayPalAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { registerIdentityRoutes } from './identity';
import { debugId } from './responses';
import { createPayPalStores } from './stores';
import { registerTokenRoutes } from './token';
import { registerDataRoutes } from './data';
import { faultTable, oauthErrorBody } from '../core/faults';

const brand = { name: 'PayPal', colour: '#003087' };
const restBody = (name: string, message: string) => ({ name, message, debug_id: debugId() });

/**
 * Log in with PayPal, sandbox (https://developer.paypal.com/docs/log-in-with-paypal/integrate):
 * www.sandbox.paypal.com's `/signin/…` and api-m.sandbox.paypal.com's `/v1/…`, both under
 * `/paypal`.
 */
export const paypal = definePersonality({
  id: 'paypal',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'jwks', 'discovery', 'data'],
  authorizeExample: {
    params: { scope: 'openid profile email' },
    // The documented denial carries error, error_description and error_uri; state is not
    // listed, so it is checked only when present.
    deny: { kind: 'redirect', error: 'access_denied', stateRequired: false },
  },
  defaultAccount: defaultPayPalAccount,
  faultResponse: faultTable({
    error_500: () => [500, restBody('INTERNAL_SERVER_ERROR', 'An internal server error occurred.')],
    rate_limit: () => [
      429,
      restBody('RATE_LIMIT_REACHED', 'Too many requests. Blocked due to rate limiting.'),
    ],
    invalid_grant: [400, oauthErrorBody('invalid_grant', 'Invalid authorization code')],
  }),
  register(router, ctx) {
    const stores = createPayPalStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerIdentityRoutes(router, ctx, stores);
    registerDataRoutes(router, ctx, stores);
  },
});
