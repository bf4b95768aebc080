import type { Clock, Logger, Telemetry } from '@plugboard/core';
import { observeQueries, type Orm } from '@plugboard/db';
import type { ProviderCallObserver } from '@plugboard/providers';
import type { Registry } from 'prom-client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerEnv } from '../env';

/**
 * Metrics (METRICS=on: GET /metrics, Prometheus text) and traces (OTEL_EXPORTER_OTLP_ENDPOINT):
 * what the server hands to the core (`telemetry`) and to ProviderHttp (`observeProviderCall`),
 * and what it registers on the app. With both off, nothing is registered and nothing observed.
 */
export interface Observability {
  telemetry: Telemetry | undefined;
  observeProviderCall: ProviderCallObserver | undefined;
  /** What GET /metrics serves (routes/metrics.ts); null when METRICS is off. */
  metrics: MetricsEndpoint | null;
  /** Request spans and request metrics. Call before any route is added. */
  register(app: FastifyInstance): Promise<void>;
}

export interface MetricsEndpoint {
  registry: Registry;
  /** The Bearer token a scrape must send; undefined: none. */
  token: string | undefined;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route pattern, never the URL: `/oauth/callback/:providerId`, `/trpc/:path`. */
export function routeLabel(req: FastifyRequest): string {
  const route = req.routeOptions.url;
  if (route === undefined) return 'unmatched';
  // The built web app's files are one route each, named by content hash: one series for all.
  if (route.startsWith('/assets/')) return '/assets/*';
  return route;
}

/**
 * prom-client and the OpenTelemetry SDK load only when their feature is on (~20 MB of RSS each
 * that a server with both off never needs).
 */
export async function createObservability(
  env: ServerEnv,
  opts: { orm: Orm; clock: Clock; logger: Logger },
): Promise<Observability> {
  const metrics = env.metrics.enabled ? (await import('./metrics')).createMetrics(opts) : null;
  if (metrics && !env.metrics.token && env.nodeEnv === 'production') {
    opts.logger.warn(
      {},
      'METRICS=on without METRICS_TOKEN: anyone who reaches /metrics can read it (set a token, or keep the route off the public network)',
    );
  }
  const tracing = env.tracing ? (await import('./tracing')).createTracing(env.tracing) : null;
  const observers = [tracing?.observeProviderCall, metrics?.observeProviderCall].filter(
    (o): o is ProviderCallObserver => o !== undefined,
  );
  // The trace span outermost, so the metric's timing is inside it.
  const observeProviderCall = observers.reduceRight<ProviderCallObserver | undefined>(
    (inner, outer) => (inner ? (info, call) => outer(info, () => inner(info, call)) : outer),
    undefined,
  );

  return {
    telemetry: metrics?.telemetry,
    observeProviderCall,
    metrics: metrics ? { registry: metrics.registry, token: env.metrics.token } : null,
    async register(app) {
      if (tracing) {
        await tracing.register(app);
        observeQueries(opts.orm, tracing.observeQuery);
        app.addHook('onClose', async () => {
          observeQueries(opts.orm, null);
          await tracing.shutdown();
        });
      }
      if (!metrics) return;
      app.addHook('onResponse', async (req, reply) => {
        metrics.observeRequest({
          method: METHODS.has(req.method) ? req.method : 'OTHER',
          route: routeLabel(req),
          statusCode: reply.statusCode,
          seconds: reply.elapsedTime / 1000,
        });
      });
    },
  };
}
