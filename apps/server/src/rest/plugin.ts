import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../routes/context';
import { callProcedure, inputOf, restContext } from './call';
import { registerDocsRoutes } from './docs';
import { restError, sendRestError } from './errors';
import { runIdempotent, type IdempotentResult } from './idempotency';
import { buildOpenApiDocument } from './openapi';
import { fastifyPath, REST_ROUTES, type RestRoute } from './routes';

/** Methods a client may try on a REST path; those a path lacks answer 405 with `Allow`. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function send(reply: FastifyReply, result: IdempotentResult): FastifyReply {
  if (!result.ok) return sendRestError(reply, result.error);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.status).header('cache-control', 'no-store').send(result.body);
}

function handler(ctx: RouteContext, route: RestRoute) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const parsed = inputOf(route, req);
    if (!parsed.ok) return sendRestError(reply, parsed.error);
    const context = restContext(ctx, req);
    const run = () => callProcedure(route, context, parsed.input, req.log);
    const key = req.headers['idempotency-key'];
    if (!route.create || key === undefined) return send(reply, await run());
    return send(
      reply,
      await runIdempotent(
        {
          key: Array.isArray(key) ? key.join(',') : key,
          target: `${route.method} ${route.path}`,
          input: parsed.input,
          context,
          log: req.log,
        },
        run,
      ),
    );
  };
}

/**
 * `/v1`: the REST twin of every `server.*` procedure (routes.ts), its OpenAPI document and the
 * reference page at `/docs`. Unknown paths under /v1 answer a JSON 404, known paths with another
 * method a 405 with `Allow`. `/v1/proxy/…` belongs to routes/proxy.ts (a more specific route, so
 * Fastify matches it before the catch-all here).
 */
export async function registerRestRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const document = buildOpenApiDocument({ serverUrl: new URL(ctx.env.publicUrl).origin });
  await app.register(
    async (v1) => {
      const methodsByPath = new Map<string, Set<string>>();
      for (const route of REST_ROUTES) {
        const url = fastifyPath(route.path);
        v1.route({ method: route.method, url, handler: handler(ctx, route) });
        const methods = methodsByPath.get(url) ?? new Set<string>();
        methods.add(route.method);
        if (route.method === 'GET') methods.add('HEAD'); // Fastify answers HEAD for every GET
        methodsByPath.set(url, methods);
      }
      v1.get('/openapi.json', (_req, reply) =>
        reply.header('cache-control', 'no-cache').send(document),
      );
      methodsByPath.set('/openapi.json', new Set(['GET', 'HEAD']));

      for (const [url, methods] of methodsByPath) {
        const allow = METHODS.filter((m) => methods.has(m));
        v1.route({
          method: METHODS.filter((m) => !methods.has(m)),
          url,
          handler: (req, reply) =>
            sendRestError(
              reply.header('allow', allow.join(', ')),
              restError(
                'METHOD_NOT_ALLOWED',
                `${req.method} is not allowed on /v1${url.replace(/:(\w+)/g, '{$1}')}; use ${allow.join(', ')}.`,
              ),
            ),
        });
      }
      v1.all('/*', (req, reply) =>
        sendRestError(
          reply,
          restError(
            'NOT_FOUND',
            `There is no REST operation at ${req.method} ${req.url.split('?')[0]}. The operations are listed in /v1/openapi.json and at /docs.`,
          ),
        ),
      );
    },
    { prefix: '/v1' },
  );
  await registerDocsRoutes(app);
}
