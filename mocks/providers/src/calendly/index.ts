import { definePersonality } from '../core/personality';
import { defaultCalendlyAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { createCalendlyStores } from './stores';
import { registerTokenRoutes } from './token';
import { registerUserRoutes } from './users';
import { registerDataRoutes } from './data';
import { faultTable, oauthErrorBody } from '../core/faults';

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
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'introspect', 'data'],
  defaultAccount: defaultCalendlyAccount,
  // The API host answers {title, message}; the auth host answers RFC 6749 bodies.
  faultResponse: faultTable(
    {
      error_500: [500, oauthErrorBody('server_error', 'An unexpected error occurred.')],
      rate_limit: [429, oauthErrorBody('rate_limited', 'Too many requests.')],
      invalid_grant: [
        400,
        oauthErrorBody(
          'invalid_grant',
          'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
        ),
      ],
    },
    {
      data: {
        error_500: [
          500,
          { title: 'Internal Server Error', message: 'An unexpected error occurred.' },
        ],
        rate_limit: [
          429,
          { title: 'Too Many Requests', message: 'You have exceeded the rate limit.' },
        ],
        invalid_grant: [401, { title: 'Unauthenticated', message: 'The access token is revoked' }],
      },
      identity: {
        error_500: [
          500,
          { title: 'Internal Server Error', message: 'An unexpected error occurred.' },
        ],
        rate_limit: [
          429,
          { title: 'Too Many Requests', message: 'You have exceeded the rate limit.' },
        ],
        invalid_grant: [401, { title: 'Unauthenticated', message: 'The access token is revoked' }],
      },
    },
  ),
  register(router, ctx) {
    const stores = createCalendlyStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerUserRoutes(router, stores);
    registerDataRoutes(router, ctx, stores);
  },
});
