import { appRouter, createContextInner, type AppRouter } from '@plugboard/api';
import { errorSummary, resolveSession } from '@plugboard/core';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './context';

const MAX_BATCH_SIZE = 10;

/** The tRPC API under /trpc: the Connect UI (session cookie) and host backends (API key). */
export async function registerTrpcRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { orm, deps } = ctx;
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      allowMethodOverride: false,
      async createContext({ req }) {
        const em = orm.em.fork();
        const auth = req.headers.authorization;
        const apiKey = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
        const session = await resolveSession(em, deps, req.cookies[ctx.cookieName]);
        return createContextInner({
          em,
          deps,
          session,
          ...(apiKey ? { apiKey } : {}),
          demoLoginAvailable: ctx.demoLoginAvailable,
          theme: ctx.theme,
        });
      },
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          app.log.error({ path, err: errorSummary(error.cause ?? error) }, 'procedure failed');
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
}
