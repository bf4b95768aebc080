import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import { hubError, refuseHubSpotToken, type HubSpotGrantData } from '.';

/**
 * `GET /crm/v3/objects/contacts` (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/get-crm-v3-objects-contacts):
 * Bearer access token with `crm.objects.contacts.read`; an expired token is 401
 * `EXPIRED_AUTHENTICATION`, a missing or unknown one 401 `INVALID_AUTHENTICATION`, a missing
 * scope 403 `MISSING_SCOPES` (https://developers.hubspot.com/docs/api/error-handling).
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext,
  opts: {
    find: (token: string) => { data: HubSpotGrantData } | undefined;
    expired: (token: string) => boolean;
  },
): void {
  const api = dataApi(router, ctx, {
    find: (token) => opts.find(token)?.data,
    refuse: refuseHubSpotToken(opts.expired),
    unavailable: (reply) =>
      hubError(reply, 503, 'error', 'Service temporarily unavailable.', 'SERVICE_UNAVAILABLE'),
  });

  api.route({
    path: '/crm/v3/objects/contacts',
    handle: (grant, _request, reply) => {
      if (!grant.scope.split(' ').includes('crm.objects.contacts.read')) {
        return hubError(
          reply,
          403,
          'error',
          'This app hasn’t been granted all required scopes to make this call.',
          'MISSING_SCOPES',
        );
      }
      return {
        results: [
          {
            id: '51',
            properties: {
              createdate: '2026-01-05T09:00:00.000Z',
              email: 'charles@babbage.example',
              firstname: 'Charles',
              lastname: 'Babbage',
              hs_object_id: '51',
              lastmodifieddate: '2026-01-06T10:30:00.000Z',
            },
            createdAt: '2026-01-05T09:00:00.000Z',
            updatedAt: '2026-01-06T10:30:00.000Z',
            archived: false,
          },
        ],
        portalId: grant.account.hubId,
      };
    },
  });
}
