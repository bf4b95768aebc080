import { definePersonality } from '../core/personality';
import { defaultCalendlyAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { createCalendlyStores } from './stores';
import { registerTokenRoutes } from './token';
import { registerUserRoutes } from './users';
import { registerDataRoutes } from './data';
import { faultTable, oauthErrorBody, type FaultTable } from '../core/faults';
import { rateLimitHeaders, TOKENS_PER_USER_PER_MINUTE } from './rate-limit';

const brand = { name: 'Calendly', colour: '#006bff' };

/** api.calendly.com's error bodies, the same on its identity and data endpoints. */
const apiFaults: Partial<FaultTable> = {
  error_500: [500, { title: 'Internal Server Error', message: 'An unexpected error occurred.' }],
  rate_limit: [429, { title: 'Too Many Requests', message: 'You have exceeded the rate limit.' }],
  invalid_grant: [401, { title: 'Unauthenticated', message: 'The access token is revoked' }],
};

const faults = faultTable(
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
    // The API host's data endpoints (data.ts) answer like its identity endpoint.
    data: apiFaults,
    identity: apiFaults,
  },
);

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
  // The API host answers {title, message}; the auth host answers RFC 6749 bodies. A 429 carries
  // Calendly's X-RateLimit-* headers instead of Retry-After (rate-limit.ts).
  faultResponse: (kind, endpoint, fault) => {
    const response = faults(kind, endpoint);
    return kind === 'rate_limit'
      ? {
          ...response,
          headers: rateLimitHeaders(TOKENS_PER_USER_PER_MINUTE, 0, fault.retryAfterSeconds),
          retryAfterHeader: false,
        }
      : response;
  },
  register(router, ctx) {
    const stores = createCalendlyStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerUserRoutes(router, stores);
    registerDataRoutes(router, ctx, stores);
  },
});
