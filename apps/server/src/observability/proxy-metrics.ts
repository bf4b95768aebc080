import { ERROR_CODES, PROVIDER_IDS } from '@plugboard/contracts';
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * The API proxy's series (routes/proxy.ts), on the server's registry when METRICS=on: calls by
 * provider and by the status class Plugboard answered with, the error code when Plugboard
 * answered itself (`none` when the provider's answer was passed through), and the time to the
 * answer's headers. Labels come from fixed sets only (catalog ids, status classes, error codes).
 */
export interface ProxyMetrics {
  observe(e: {
    providerId: string | null;
    status: number;
    errorCode: string | null;
    seconds: number;
  }): void;
}

const PROVIDERS = new Set<string>(PROVIDER_IDS);
const ERRORS = new Set<string>(ERROR_CODES);
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createProxyMetrics(registry: Registry | undefined): ProxyMetrics {
  if (!registry) return { observe: () => undefined };
  // Loaded here, only with a registry (METRICS=on), so a server without metrics never loads
  // prom-client (observability/index.ts); it is a CommonJS package, so `require` is synchronous.
  const { Counter, Histogram } = createRequire(import.meta.url)('prom-client') as typeof PromClient;
  const registers = [registry];
  const calls = new Counter({
    name: 'plugboard_proxy_requests_total',
    help: 'Requests through /v1/proxy, by provider, status class answered (2xx…5xx) and Plugboard error code (none: the provider answered).',
    labelNames: ['provider', 'status', 'error_code'],
    registers,
  });
  const seconds = new Histogram({
    name: 'plugboard_proxy_request_duration_seconds',
    help: 'Time from a /v1/proxy request arriving to its answer starting, by provider and status class.',
    labelNames: ['provider', 'status'],
    buckets: BUCKETS,
    registers,
  });
  return {
    observe(e) {
      const provider = e.providerId && PROVIDERS.has(e.providerId) ? e.providerId : 'unknown';
      const status = `${Math.floor(e.status / 100)}xx`;
      const errorCode =
        e.errorCode === null ? 'none' : ERRORS.has(e.errorCode) ? e.errorCode : 'OTHER';
      calls.inc({ provider, status, error_code: errorCode });
      seconds.observe({ provider, status }, e.seconds);
    },
  };
}
