import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { PayPalAccount } from './account';
import { userIdUrl } from './account';
import { oauthError, restError } from './responses';
import type { PayPalStores } from './stores';

/**
 * `GET /v1/identity/openidconnect/userinfo?schema=openid`, the OpenID Connect userinfo
 * (https://developer.paypal.com/docs/log-in-with-paypal/integrate/reference/#get-user-information):
 * Bearer access token; a dead one is 401 `invalid_token` as on every PayPal API
 * (https://developer.paypal.com/api/rest/responses/).
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<PayPalAccount>,
  stores: PayPalStores,
): void {
  const api = dataApi(router, ctx, {
    find: (token) => stores.tokens.findByAccessToken(token)?.data,
    refuse: (reply) =>
      oauthError(reply, 401, 'invalid_token', 'The token passed in was not found in the system'),
    unavailable: (reply) =>
      restError(reply, 503, 'SERVICE_UNAVAILABLE', 'Service Unavailable.', []),
  });

  api.route({
    path: '/v1/identity/openidconnect/userinfo',
    handle: ({ account, scopes }, request, reply) => {
      if ((request.query as { schema?: unknown }).schema !== 'openid') {
        return restError(
          reply,
          400,
          'INVALID_REQUEST',
          'Request is not well-formed, syntactically incorrect, or violates schema.',
          [{ field: 'schema', issue: 'schema must be openid' }],
        );
      }
      return {
        user_id: userIdUrl(account),
        sub: userIdUrl(account),
        ...(scopes.includes('profile') ? { name: account.name } : {}),
        ...(scopes.includes('email') ? { email: account.email, email_verified: true } : {}),
      };
    },
  });
}
