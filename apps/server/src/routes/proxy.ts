import { authenticateServerRequest, PROXY_SCOPE } from '@plugboard/api';
import { ConnectionIdSchema, ERROR_STATUS, PlugboardError } from '@plugboard/contracts';
import { errorSummary, proxyRequest } from '@plugboard/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Agent } from 'undici';
import { createProxyMetrics } from '../observability/proxy-metrics';
import { sendError, type RouteContext } from './context';

/**
 * `ANY /v1/proxy/{connectionId}/{path…}`: a host backend calls the provider's API with a
 * connection's credentials, which it never sees (packages/core/src/services/proxy.ts has the
 * rules). Authenticated like every server-API call (API key or client token, scope
 * `connections:proxy`). The body is not parsed: it streams to the provider as it arrives, and
 * the provider's answer streams back.
 */
const PREFIX = '/v1/proxy/';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export async function registerProxyRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  // One pool of kept-alive connections to the providers for this server; no redirect is ever
  // followed (undici's request follows none), and slow providers time out.
  const dispatcher = new Agent({
    connect: { timeout: 10_000 },
    headersTimeout: 30_000,
    bodyTimeout: 60_000,
    keepAliveTimeout: 10_000,
  });
  app.addHook('onClose', async () => dispatcher.close());
  const metrics = createProxyMetrics(ctx.metrics?.registry);

  await app.register(async (scope) => {
    // Bodies are the provider's business: none is parsed or size-checked by Fastify here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.route({
      method: [...METHODS],
      url: `${PREFIX}:connectionId/*`,
      exposeHeadRoute: false,
      handler: async (req: FastifyRequest<{ Params: { connectionId: string } }>, reply) => {
        const startedAt = performance.now();
        let providerId: string | null = null;
        const done = (status: number, errorCode: string | null) =>
          metrics.observe({
            providerId,
            status,
            errorCode,
            seconds: (performance.now() - startedAt) / 1000,
          });
        try {
          const { rawPath, rawQuery } = splitUrl(req.raw.url ?? '');
          const id = ConnectionIdSchema.safeParse(req.params.connectionId);
          if (!id.success) {
            throw new PlugboardError('NOT_FOUND', 'That connection does not exist or was removed.');
          }
          const em = ctx.orm.em.fork();
          await authenticateServerRequest(em, ctx.deps, req.headers.authorization, PROXY_SCOPE);
          const result = await proxyRequest(em, ctx.deps, dispatcher, {
            connectionId: id.data,
            method: req.method,
            rawPath,
            rawQuery,
            headers: req.headers,
            body: hasBody(req) ? req.raw : null,
            onProvider: (p) => (providerId = p),
          });
          done(result.status, null);
          return reply.code(result.status).headers(result.headers).send(result.body);
        } catch (err) {
          return answerError(req, reply, err, done);
        }
      },
    });
  });
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const afterId = path.indexOf('/', PREFIX.length);
  return {
    rawPath: afterId === -1 ? '' : path.slice(afterId + 1),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
  };
}

function hasBody(req: FastifyRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return (
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0
  );
}

function answerError(
  req: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  done: (status: number, errorCode: string | null) => void,
) {
  if (err instanceof PlugboardError) {
    const status = ERROR_STATUS[err.code];
    done(status, err.code);
    if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
    return sendError(reply, status, err.code, err.message);
  }
  req.log.error({ err: errorSummary(err) }, 'proxy request failed');
  done(500, 'INTERNAL');
  return sendError(reply, 500, 'INTERNAL');
}
