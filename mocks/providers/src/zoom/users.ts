import { parseBearer } from '../core/oauth';
import type { ProviderRouter } from '../core/personality';
import { apiError, userResponse } from './responses';
import type { ZoomStores } from './stores';

/** `GET /v2/users/me` (api.zoom.us). */
export function registerUserRoutes(router: ProviderRouter, stores: ZoomStores): void {
  router.route({
    method: 'GET',
    path: '/v2/users/me',
    endpoint: 'identity',
    handler: async (request, reply) => {
      const token = parseBearer(request.headers.authorization);
      const grant = token === undefined ? undefined : stores.tokens.findByAccessToken(token);
      if (grant === undefined) {
        // Zoom words an expired token differently from an unknown or revoked one.
        const expired = token !== undefined && stores.isExpired(token);
        return apiError(
          reply,
          401,
          124,
          expired ? 'Access token is expired.' : 'Invalid access token.',
        );
      }
      return userResponse(grant.data.account);
    },
  });
}
