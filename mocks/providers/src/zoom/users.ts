import { bearerRoute } from '../core/bearer';
import type { ProviderRouter } from '../core/personality';
import { apiError, userResponse } from './responses';
import type { ZoomStores } from './stores';

/** `GET /v2/users/me` (api.zoom.us). */
export function registerUserRoutes(router: ProviderRouter, stores: ZoomStores): void {
  bearerRoute(router, {
    path: '/v2/users/me',
    endpoint: 'identity',
    find: (token) => stores.tokens.findByAccessToken(token),
    // Zoom words an expired token differently from an unknown or revoked one.
    refuse: (reply, token) =>
      apiError(
        reply,
        401,
        124,
        token !== undefined && stores.isExpired(token)
          ? 'Access token is expired.'
          : 'Invalid access token.',
      ),
    handle: (grant) => userResponse(grant.data.account),
  });
}
