import { definePersonality } from '../core/personality';
import { defaultZoomAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { createZoomStores } from './stores';
import { registerTokenRoutes } from './token';
import { registerUserRoutes } from './users';

const brand = { name: 'Zoom', colour: '#0b5cff' };

/**
 * Zoom user-level OAuth (https://developers.zoom.us/docs/integrations/oauth/). zoom.us/oauth/… and
 * api.zoom.us/v2/… share the `/zoom` prefix; their paths do not overlap.
 */
export const zoom = definePersonality({
  id: 'zoom',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke'],
  defaultAccount: defaultZoomAccount,
  faultResponse(kind, endpoint) {
    const api = endpoint === 'identity';
    switch (kind) {
      case 'error_500':
        return {
          status: 500,
          body: api
            ? { code: 500, message: 'Internal server error.' }
            : { reason: 'Internal Error', error: 'server_error' },
        };
      case 'rate_limit':
        return {
          status: 429,
          body: api
            ? {
                code: 429,
                message:
                  'You have reached the maximum per-second rate limit for this API. Try again later.',
              }
            : { reason: 'Too many requests', error: 'rate_limited' },
        };
      case 'invalid_grant':
        return api
          ? { status: 401, body: { code: 124, message: 'Invalid access token.' } }
          : { status: 400, body: { reason: 'Invalid Token!', error: 'invalid_grant' } };
    }
  },
  register(router, ctx) {
    const stores = createZoomStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerUserRoutes(router, stores);
  },
});
