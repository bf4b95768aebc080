import type { FaultResponse } from '../core/faults';
import { dataApi } from '../core/data-api';
import type { AnsweringFaultKind } from '../core/faults';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { registerBotApiRoutes } from './bot-api';

/**
 * The Bot API's `getUpdates` (https://core.telegram.org/bots/api#getupdates) at
 * `/bot<token>/getUpdates`: the token is the path, a token the mock did not issue is 401
 * `{ ok: false, error_code: 401, description: "Unauthorized" }`
 * (https://core.telegram.org/bots/api#making-requests), and the request log keeps the route
 * pattern only.
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext,
  bots: ReturnType<typeof registerBotApiRoutes>,
): void {
  const api = dataApi(router, ctx, {
    token: (request) => (request.params as { token?: string }).token || undefined,
    find: (token) => bots.find(token),
    refuse: (reply) =>
      reply.status(401).send({ ok: false, error_code: 401, description: 'Unauthorized' }),
    unavailable: (reply) =>
      reply.send({ ok: false, error_code: 503, description: 'Service Unavailable' }),
    echoPath: '/bot:token/__control/echo',
    logRoutePattern: true,
  });
  for (const method of ['GET', 'POST'] as const) {
    api.route({ method, path: '/bot:token/getUpdates', handle: () => ({ ok: true, result: [] }) });
  }
}

/** The Bot API's own 429 (`parameters.retry_after`) and 500 bodies for the data routes. */
export function botApiFault(
  kind: AnsweringFaultKind,
  fault: { retryAfterSeconds: number },
): FaultResponse {
  switch (kind) {
    case 'rate_limit':
      return {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${fault.retryAfterSeconds}`,
          parameters: { retry_after: fault.retryAfterSeconds },
        },
      };
    case 'error_500':
      return {
        status: 500,
        body: { ok: false, error_code: 500, description: 'Internal Server Error' },
      };
    case 'invalid_grant':
      return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
  }
}
