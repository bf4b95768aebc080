/**
 * An API route authenticated by `Authorization: Bearer <access token>` (identity endpoints and
 * the like): the token is read and looked up once here, and each personality says only how its
 * provider refuses a missing or dead token and what it answers for a live one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseBearer } from './oauth';
import type { ProviderRoute, ProviderRouter } from './personality';

export interface BearerRoute<G> extends Omit<ProviderRoute, 'method' | 'handler'> {
  /** Default GET. */
  method?: ProviderRoute['method'];
  /** The live grant of a presented token, if any. */
  find: (token: string) => G | undefined;
  /** The answer when no bearer token is sent (`token` undefined) or `find` finds none. */
  refuse: (reply: FastifyReply, token: string | undefined) => unknown;
  /** Checks the provider makes before the token (Notion's version header); an answer ends it. */
  before?: (request: FastifyRequest, reply: FastifyReply) => unknown;
  handle: (grant: G, request: FastifyRequest, reply: FastifyReply) => unknown;
}

export function bearerRoute<G>(router: ProviderRouter, route: BearerRoute<G>): void {
  const { find, refuse, before, handle, method = 'GET', ...rest } = route;
  router.route({
    ...rest,
    method,
    handler: async (request, reply) => {
      const early = await before?.(request, reply);
      if (early !== undefined) return early;
      const token = parseBearer(request.headers.authorization);
      const grant = token === undefined ? undefined : find(token);
      if (grant === undefined) return refuse(reply, token);
      return handle(grant, request, reply);
    },
  });
}
