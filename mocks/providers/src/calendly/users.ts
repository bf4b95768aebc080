import { bearerRoute } from '../core/bearer';
import type { ProviderRouter } from '../core/personality';
import { apiError, userResource } from './responses';
import type { CalendlyStores } from './stores';

/** Calendly's 401 messages for each way a token can be dead. */
const UNAUTHENTICATED = {
  unknown: 'The access token is invalid',
  expired: 'The access token expired',
  revoked: 'The access token is revoked',
} as const;

/** `GET /users/me` (api.calendly.com): the user behind the token. */
export function registerUserRoutes(router: ProviderRouter, stores: CalendlyStores): void {
  bearerRoute(router, {
    path: '/users/me',
    endpoint: 'identity',
    find: (token) => stores.tokens.findByAccessToken(token),
    refuse: (reply, token) => {
      const reason = token === undefined ? 'unknown' : stores.deadReason(token);
      return apiError(reply, 401, 'Unauthenticated', UNAUTHENTICATED[reason]);
    },
    handle: (grant) => userResource(grant.data.account),
  });
}
