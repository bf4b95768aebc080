import { definePersonality } from '../core/personality';
import { defaultZoomAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { createZoomStores } from './stores';
import { registerTokenRoutes } from './token';
import { registerUserRoutes } from './users';
import { registerDataRoutes } from './data';
import { faultTable, type FaultTable } from '../core/faults';

const brand = { name: 'Zoom', colour: '#0b5cff' };

/** api.zoom.us's error bodies, the same on its identity and data endpoints but for invalid_grant. */
const apiFaults: Partial<FaultTable> = {
  error_500: [500, { code: 500, message: 'Internal server error.' }],
  rate_limit: [
    429,
    {
      code: 429,
      message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
    },
  ],
};

/**
 * Zoom user-level OAuth (https://developers.zoom.us/docs/integrations/oauth/). zoom.us/oauth/… and
 * api.zoom.us/v2/… share the `/zoom` prefix; their paths do not overlap.
 */
export const zoom = definePersonality({
  id: 'zoom',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'data'],
  defaultAccount: defaultZoomAccount,
  faultResponse: faultTable(
    {
      error_500: [500, { reason: 'Internal Error', error: 'server_error' }],
      rate_limit: [429, { reason: 'Too many requests', error: 'rate_limited' }],
      invalid_grant: [400, { reason: 'Invalid Token!', error: 'invalid_grant' }],
    },
    {
      data: apiFaults,
      identity: {
        ...apiFaults,
        invalid_grant: [401, { code: 124, message: 'Invalid access token.' }],
      },
    },
  ),
  register(router, ctx) {
    const stores = createZoomStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerUserRoutes(router, stores);
    registerDataRoutes(router, ctx, stores);
  },
});
