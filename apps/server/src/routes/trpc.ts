import { appRouter, createContextInner, type AppRouter } from '@plugboard/api';
import { errorSummary, resolveSession } from '@plugboard/core';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteContext } from './context';
import { registerLeanTrpcRoutes } from './trpc-lean';

const MAX_BATCH_SIZE = 10;
const PREFIX = '/trpc';

/** The tRPC API under /trpc: the Connect UI (session cookie) and host backends (API key). */
export async function registerTrpcRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { orm, deps } = ctx;
  const createContext = async (req: FastifyRequest) => {
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
  };
  const trpcOptions = {
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    allowMethodOverride: false,
    createContext: ({ req }) => createContext(req),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        app.log.error({ path, err: errorSummary(error.cause ?? error) }, 'procedure failed');
      }
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'];
  await app.register(fastifyTRPCPlugin, { prefix: PREFIX, trpcOptions });
  // The hot procedures, beside the adapter's `/trpc/:path` (a static route wins), with the same
  // body parsers as the adapter's scope (node_modules/@trpc/server/dist/adapters/fastify).
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser('multipart/form-data', {}, (_req, payload, done) =>
      done(null, payload),
    );
    registerLeanTrpcRoutes(scope, PREFIX, trpcOptions, createContext);
  });
}
