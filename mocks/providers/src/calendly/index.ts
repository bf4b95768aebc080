import { definePersonality } from '../core/personality';
import { defaultCalendlyAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { createCalendlyStores } from './stores';
import { registerTokenRoutes } from './token';
import { registerUserRoutes } from './users';

const brand = { name: 'Calendly', colour: '#006bff' };

/**
 * Calendly OAuth
 * (https://developer.calendly.com/how-to-access-calendly-data-on-behalf-of-authenticated-users).
 * The real auth host (auth.calendly.com/oauth/…) and API host (api.calendly.com/users/me) have
 * disjoint paths, so both live under `/calendly`.
 */
export const calendly = definePersonality({
  id: 'calendly',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'introspect'],
  defaultAccount: defaultCalendlyAccount,
  faultResponse(kind, endpoint) {
    // The API host answers {title, message}; the auth host answers RFC 6749 bodies.
    const api = endpoint === 'identity';
    switch (kind) {
      case 'error_500':
        return {
          status: 500,
          body: api
            ? { title: 'Internal Server Error', message: 'An unexpected error occurred.' }
            : { error: 'server_error', error_description: 'An unexpected error occurred.' },
        };
      case 'rate_limit':
        return {
          status: 429,
          body: api
            ? { title: 'Too Many Requests', message: 'You have exceeded the rate limit.' }
            : { error: 'rate_limited', error_description: 'Too many requests.' },
        };
      case 'invalid_grant':
        return {
          status: api ? 401 : 400,
          body: api
            ? { title: 'Unauthenticated', message: 'The access token is revoked' }
            : {
                error: 'invalid_grant',
                error_description:
                  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
              },
        };
    }
  },
  register(router, ctx) {
    const stores = createCalendlyStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerUserRoutes(router, stores);
  },
});
