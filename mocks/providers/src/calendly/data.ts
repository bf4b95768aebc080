import { dataApi } from '../core/data-api';
import { scopeList } from '../core/flow';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { CalendlyAccount } from './account';
import { userUri } from './account';
import { apiError, refuseCalendlyToken } from './responses';
import type { CalendlyStores } from './stores';

/**
 * `GET /event_types?user=<user uri>` (https://developer.calendly.com/api-docs/25a4ece03c1bc-list-user-s-event-types):
 * Bearer token with the `event_types:read` scope (https://developer.calendly.com/scopes); 401
 * `Unauthenticated` names why the token is dead, as `/users/me` does.
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<CalendlyAccount>,
  stores: CalendlyStores,
): void {
  const api = dataApi(router, ctx, {
    find: (token) => stores.tokens.findByAccessToken(token)?.data,
    refuse: refuseCalendlyToken((token) => stores.deadReason(token)),
    unavailable: (reply) =>
      apiError(reply, 503, 'Service Unavailable', 'The service is temporarily unavailable.'),
  });

  api.route({
    path: '/event_types',
    handle: (grant, request, reply) => {
      const scopes = scopeList(grant.scope);
      if (!scopes.includes('event_types:read') && !scopes.includes('event_types:write')) {
        return apiError(
          reply,
          403,
          'Permission Denied',
          'This request requires the event_types:read scope, which the token was not granted.',
        );
      }
      const user = (request.query as { user?: string }).user;
      if (user === undefined || user === '') {
        return apiError(reply, 400, 'Invalid Argument', 'The supplied parameters are invalid.');
      }
      const owner = userUri(grant.account);
      return {
        collection:
          user === owner
            ? [
                {
                  uri: 'https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA',
                  name: '30 Minute Meeting',
                  active: true,
                  slug: '30min',
                  scheduling_url: `https://calendly.com/${grant.account.slug}/30min`,
                  duration: 30,
                  kind: 'solo',
                  type: 'StandardEventType',
                  profile: { type: 'User', name: grant.account.name, owner },
                  created_at: '2026-01-05T09:00:00.000000Z',
                  updated_at: '2026-01-05T09:00:00.000000Z',
                },
              ]
            : [],
        pagination: { count: user === owner ? 1 : 0, next_page: null, next_page_token: null },
      };
    },
  });
}
