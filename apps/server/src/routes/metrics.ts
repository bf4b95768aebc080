import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsEndpoint } from '../observability';
import { sendError } from './context';

/** Constant-time, and the same time whatever the presented token's length (both are hashed). */
function tokenMatches(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * `GET /metrics` in the Prometheus text format (METRICS=on), behind `Authorization: Bearer
 * <METRICS_TOKEN>` when a token is set. Not traced: scrapes every few seconds are noise.
 */
export function registerMetricsRoutes(app: FastifyInstance, metrics: MetricsEndpoint): void {
  app.get('/metrics', { config: { otel: false } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (metrics.token !== undefined) {
      const auth = req.headers.authorization ?? '';
      const presented = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
      if (!tokenMatches(presented, metrics.token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        return sendError(
          reply,
          401,
          'UNAUTHENTICATED',
          'Metrics need the token: send Authorization: Bearer <METRICS_TOKEN>.',
        );
      }
    }
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}
