import type { FastifyReply } from 'fastify';
import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';

/**
 * Linear's data is its GraphQL endpoint (`POST /graphql`, the personality's `identity` route,
 * https://linear.app/developers/graphql): an unauthenticated call is HTTP 400 with an
 * `AUTHENTICATION_ERROR` (never a 401), so this file adds only the shared data controls and the
 * echo for body-size tests, with Linear's error body.
 */
export function registerDataRoutes<G>(
  router: ProviderRouter,
  ctx: ProviderContext,
  find: (token: string) => G | undefined,
  notAuthenticated: (reply: FastifyReply) => unknown,
): void {
  dataApi(router, ctx, {
    find,
    refuse: notAuthenticated,
    unavailable: (reply) => reply.send({ errors: [{ message: 'Service Unavailable' }] }),
  });
}
