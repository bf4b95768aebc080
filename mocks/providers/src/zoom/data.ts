import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ZoomAccount } from './account';
import { apiError, refuseZoomToken } from './responses';
import type { ZoomStores } from './stores';

/**
 * `GET /v2/users/me/meetings` (https://developers.zoom.us/docs/api/meetings/#tag/meetings/GET/users/{userId}/meetings):
 * the user's scheduled meetings, paginated. Bearer access token; an expired one is 401 code 124
 * "Access token is expired.", an unknown or revoked one "Invalid access token."
 * (https://developers.zoom.us/docs/api/using-zoom-apis/#error-codes).
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ZoomAccount>,
  stores: ZoomStores,
): void {
  const api = dataApi(router, ctx, {
    find: (token) => stores.tokens.findByAccessToken(token)?.data.account,
    refuse: refuseZoomToken((token) => stores.isExpired(token)),
    unavailable: (reply) => apiError(reply, 503, 503, 'Service is temporarily unavailable.'),
  });

  api.route({
    path: '/v2/users/me/meetings',
    handle: (account) => ({
      page_size: 30,
      total_records: 1,
      next_page_token: '',
      meetings: [
        {
          uuid: 'aDYlohsHRtCd4ii1uC2+hA==',
          id: 85_746_065_432,
          host_id: 'KDcuGIm1QgePTO8WbOqwIQ',
          topic: 'Weekly sync',
          type: 8,
          start_time: '2026-01-05T15:00:00Z',
          duration: 30,
          timezone: 'Europe/London',
          join_url: `https://zoom.us/j/85746065432?host=${encodeURIComponent(account.email)}`,
        },
      ],
    }),
  });
}
