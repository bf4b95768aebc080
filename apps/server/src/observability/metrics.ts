import { ERROR_CODES, PROVIDER_IDS } from '@plugboard/contracts';
import {
  errorSummary,
  refreshQueueDepth,
  webhookBacklog,
  type WebhookBacklog,
  type Clock,
  type Logger,
  type Telemetry,
} from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import type { ProviderCallObserver } from '@plugboard/providers';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus series, all `plugboard_*`, on a registry of this server's own (several servers
 * in one test process do not share counters). Every label takes its value from a bounded set —
 * provider ids from the catalog, outcomes, error codes, route patterns, status codes — so no
 * value that varies per user, connection or request (an id, a URL, a token) ever becomes a series.
 */

const PROVIDERS = new Set<string>(PROVIDER_IDS);
const ERRORS = new Set<string>(ERROR_CODES);
/** A path parameter may name a provider that does not exist: one series for all of them. */
const providerLabel = (id: string) => (PROVIDERS.has(id) ? id : 'unknown');
const errorLabel = (code: string | null) =>
  code === null ? 'none' : ERRORS.has(code) ? code : 'OTHER';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Webhook lag spans the retry schedule: seconds to the last retry ~38 h after the event. */
const LAG_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 7200, 18_000, 36_000, 72_000, 172_800];

export interface PlugboardMetrics {
  registry: Registry;
  /** The core's port (packages/core/src/telemetry.ts). */
  telemetry: Telemetry;
  observeProviderCall: ProviderCallObserver;
  /** One HTTP request: its route pattern (never the URL) and status. */
  observeRequest(e: { method: string; route: string; statusCode: number; seconds: number }): void;
}

export function createMetrics(opts: { orm: Orm; clock: Clock; logger: Logger }): PlugboardMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'plugboard_' });

  const flowsStarted = new Counter({
    name: 'plugboard_connect_flows_started_total',
    help: 'OAuth connect flows started, by provider and by who started them (connect_ui, headless).',
    labelNames: ['provider', 'kind'],
    registers,
  });
  const flows = new Counter({
    name: 'plugboard_connect_flows_total',
    help: 'Connect flows ended (OAuth callbacks, multi-step flows such as Telegram, API-key checks), by provider, outcome (completed, failed, rejected) and error code.',
    labelNames: ['provider', 'outcome', 'error_code'],
    registers,
  });
  const callbackSeconds = new Histogram({
    name: 'plugboard_oauth_callback_duration_seconds',
    help: 'Time to handle an OAuth callback (state check, code exchange, identity, store).',
    labelNames: ['provider', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const refreshes = new Counter({
    name: 'plugboard_refreshes_total',
    help: 'Credential refreshes at the provider, by provider and outcome (refreshed, needs_reauth, provider_unavailable, failed).',
    labelNames: ['provider', 'outcome'],
    registers,
  });
  const refreshSeconds = new Histogram({
    name: 'plugboard_refresh_duration_seconds',
    help: 'Time of one credential refresh at the provider, including storing the new tokens.',
    labelNames: ['provider', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const deliveries = new Counter({
    name: 'plugboard_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (delivered, retrying, failed, endpoint_deleted).',
    labelNames: ['outcome'],
    registers,
  });
  const deliveryLag = new Histogram({
    name: 'plugboard_webhook_delivery_lag_seconds',
    help: 'From an event being written to the outbox to its delivery (retries included).',
    buckets: LAG_BUCKETS,
    registers,
  });
  const attemptSeconds = new Histogram({
    name: 'plugboard_webhook_attempt_duration_seconds',
    help: "Time of one webhook POST to the host's endpoint, by outcome.",
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const providerSeconds = new Histogram({
    name: 'plugboard_provider_request_duration_seconds',
    help: 'Calls to providers, by provider, operation and status class (2xx…5xx, or error: no answer).',
    labelNames: ['provider', 'operation', 'status'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const httpSeconds = new Histogram({
    name: 'plugboard_http_request_duration_seconds',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
    registers,
  });

  const scrapeFailed = (what: string) => (err: unknown) => {
    opts.logger.error({ err: errorSummary(err), gauge: what }, 'metrics: reading a gauge failed');
  };
  new Gauge({
    name: 'plugboard_refresh_queue_depth',
    help: 'Active connections waiting for the background refresh: due (expiring within its window) and overdue (already expired). Counted up to 10000.',
    labelNames: ['state'],
    registers,
    async collect() {
      // A failed read leaves the last value: a scrape still answers.
      await refreshQueueDepth(opts.orm.em.fork(), opts.clock.now()).then((depth) => {
        this.set({ state: 'due' }, depth.due);
        this.set({ state: 'overdue' }, depth.overdue);
      }, scrapeFailed('plugboard_refresh_queue_depth'));
    },
  });
  // Both gauges come from one query: a scrape reads them concurrently and shares it.
  let backlogRead: Promise<WebhookBacklog | null> | null = null;
  const readBacklog = () =>
    (backlogRead ??= webhookBacklog(opts.orm.em.fork(), opts.clock.now())
      .catch((err: unknown) => {
        scrapeFailed('plugboard_webhook_backlog')(err);
        return null;
      })
      .finally(() => {
        backlogRead = null;
      }));
  new Gauge({
    name: 'plugboard_webhook_backlog',
    help: 'Pending webhook deliveries whose attempt is due now. Counted up to 10000.',
    registers,
    async collect() {
      const b = await readBacklog();
      if (b) this.set(b.due);
    },
  });
  new Gauge({
    name: 'plugboard_webhook_oldest_due_seconds',
    help: 'How long the longest-waiting due webhook delivery has been waiting for its attempt.',
    registers,
    async collect() {
      const b = await readBacklog();
      if (b) this.set(b.oldestDueMs / 1000);
    },
  });

  const telemetry: Telemetry = {
    connectFlowStarted({ providerId, headless }) {
      flowsStarted.inc({
        provider: providerLabel(providerId),
        kind: headless ? 'headless' : 'connect_ui',
      });
    },
    connectFlowFinished({ providerId, outcome, errorCode, durationMs }) {
      const provider = providerLabel(providerId);
      flows.inc({ provider, outcome, error_code: errorLabel(errorCode) });
      if (durationMs !== null) callbackSeconds.observe({ provider, outcome }, durationMs / 1000);
    },
    refreshFinished({ providerId, outcome, durationMs }) {
      const labels = { provider: providerLabel(providerId), outcome };
      refreshes.inc(labels);
      refreshSeconds.observe(labels, durationMs / 1000);
    },
    webhookAttempted({ outcome, durationMs, lagMs }) {
      deliveries.inc({ outcome });
      if (outcome !== 'endpoint_deleted') attemptSeconds.observe({ outcome }, durationMs / 1000);
      if (lagMs !== null) deliveryLag.observe(Math.max(0, lagMs) / 1000);
    },
  };

  const observeProviderCall: ProviderCallObserver = async (info, call) => {
    const end = providerSeconds.startTimer({
      provider: providerLabel(info.providerId),
      operation: info.operation,
    });
    try {
      const res = await call();
      end({ status: `${Math.floor(res.status / 100)}xx` });
      return res;
    } catch (err) {
      // No answer at all (network error, timeout).
      end({ status: 'error' });
      throw err;
    }
  };

  return {
    registry,
    telemetry,
    observeProviderCall,
    observeRequest({ method, route, statusCode, seconds }) {
      httpSeconds.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
  };
}
