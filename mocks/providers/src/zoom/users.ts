import { bearerRoute } from '../core/bearer';
import type { ProviderRouter } from '../core/personality';
import { refuseZoomToken, userResponse } from './responses';
import type { ZoomStores } from './stores';

/** `GET /v2/users/me` (api.zoom.us). */
export function registerUserRoutes(router: ProviderRouter, stores: ZoomStores): void {
  bearerRoute(router, {
    path: '/v2/users/me',
    endpoint: 'identity',
    find: (token) => stores.tokens.findByAccessToken(token),
    refuse: refuseZoomToken((token) => stores.isExpired(token)),
    handle: (grant) => userResponse(grant.data.account),
  });
}
