import { bearerRoute } from '../core/bearer';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { PayPalAccount } from './account';
import { userIdUrl } from './account';
import { oauthError, restError } from './responses';
import { PAYPALATTRIBUTES } from './stores';
import type { PayPalStores } from './stores';

/** `GET /v1/identity/oauth2/userinfo?schema=paypalv1.1`, the JWKS and the discovery document. */
export function registerIdentityRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<PayPalAccount>,
  stores: PayPalStores,
): void {
  bearerRoute(router, {
    path: '/v1/identity/oauth2/userinfo',
    endpoint: 'identity',
    find: (token) => stores.tokens.findByAccessToken(token),
    refuse: (reply) =>
      oauthError(reply, 401, 'invalid_token', 'The token passed in was not found in the system'),
    handle: (grant, request, reply) => {
      const schema = (request.query as { schema?: unknown }).schema;
      if (schema !== 'paypalv1.1') {
        return restError(
          reply,
          400,
          'INVALID_REQUEST',
          'Request is not well-formed, syntactically incorrect, or violates schema.',
          [{ field: 'schema', issue: 'schema must be paypalv1.1' }],
        );
      }
      // Only what the granted scopes cover, as PayPal's scope table says.
      const { account, scopes } = grant.data;
      const has = (scope: string) => scopes.includes(scope);
      return {
        user_id: userIdUrl(account),
        ...(has('profile')
          ? { name: account.name, given_name: account.givenName, family_name: account.familyName }
          : {}),
        ...(has(PAYPALATTRIBUTES)
          ? { payer_id: account.payerId, verified_account: String(account.verifiedAccount) }
          : {}),
        ...(has('address')
          ? {
              address: {
                street_address: account.streetAddress,
                locality: account.locality,
                region: account.region,
                postal_code: account.postalCode,
                country: account.country,
              },
            }
          : {}),
        ...(has('email') ? { emails: [{ value: account.email, primary: true }] } : {}),
      };
    },
  });

  // PayPal publishes its signing keys at api.paypal.com/v1/oauth2/certs.
  router.get('/v1/oauth2/certs', 'jwks', async () => (await ctx.issuer()).jwks());

  router.get('/.well-known/openid-configuration', 'discovery', async () => {
    const base = ctx.baseUrl();
    return {
      issuer: (await ctx.issuer()).url,
      authorization_endpoint: `${base}/signin/authorize`,
      token_endpoint: `${base}/v1/oauth2/token`,
      userinfo_endpoint: `${base}/v1/identity/oauth2/userinfo`,
      jwks_uri: `${base}/v1/oauth2/certs`,
      revocation_endpoint: `${base}/v1/oauth2/token/terminate`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'address', 'phone', PAYPALATTRIBUTES],
      claims_supported: ['sub', 'aud', 'iss', 'iat', 'exp', 'auth_time', 'nonce'],
    };
  });
}
