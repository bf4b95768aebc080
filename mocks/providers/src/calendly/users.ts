import { parseBearer } from '../core/oauth';
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
  router.route({
    method: 'GET',
    path: '/users/me',
    endpoint: 'identity',
    handler: async (request, reply) => {
      const token = parseBearer(request.headers.authorization);
      if (token === undefined) {
        return apiError(reply, 401, 'Unauthenticated', UNAUTHENTICATED.unknown);
      }
      const grant = stores.tokens.findByAccessToken(token);
      if (grant === undefined) {
        return apiError(reply, 401, 'Unauthenticated', UNAUTHENTICATED[stores.deadReason(token)]);
      }
      return userResource(grant.data.account);
    },
  });
}
