import { errorSummary } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './context';

/** Liveness and database reachability, for load balancers and orchestrators. */
export function registerHealthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/healthz', async (_req, reply) => {
    try {
      await ctx.orm.em.fork().getConnection().execute('select 1');
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: 'ok' });
    } catch (err) {
      app.log.error({ err: errorSummary(err) }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'error', database: 'unreachable' });
    }
  });
}
