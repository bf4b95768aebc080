import type { CoreDeps } from './deps';

/**
 * What the services report for metrics, free of any metrics library: the server implements it
 * with Prometheus (apps/server/src/observability/metrics.ts). Events carry provider ids, outcomes
 * and error codes (all bounded sets) and durations — never a connection, attempt or user id, and
 * never a token, code or state. Durations come from `performance.now()` (monotonic), not the
 * injectable clock, which tests stop; lags between stored times use the clock.
 */
export interface Telemetry {
  /** An OAuth attempt was created (`headless`: started by the server API, not the Connect UI). */
  connectFlowStarted(e: { providerId: string; headless: boolean }): void;
  /**
   * A connect ended: an OAuth callback was handled (services/oauth-flow.ts), a multi-step flow
   * ended (services/connect-flows/store.ts), or typed credentials were checked
   * (services/typed-credentials.ts). `completed`: the connection is stored; `failed`: it ended
   * with an error code (`STATE_EXPIRED` when it took too long); `rejected`: an OAuth callback
   * refused before any attempt was consumed (unknown or reused state, bad signature).
   * `durationMs`: the OAuth callback's handling time; null for the other kinds, which have no
   * callback.
   */
  connectFlowFinished(e: {
    providerId: string;
    outcome: 'completed' | 'failed' | 'rejected';
    errorCode: string | null;
    durationMs: number | null;
  }): void;
  /** One refresh at the provider (the call and storing its result) while holding the lease. */
  refreshFinished(e: {
    providerId: string;
    outcome: 'refreshed' | 'needs_reauth' | 'provider_unavailable' | 'failed';
    durationMs: number;
  }): void;
  /**
   * One webhook delivery attempt. `lagMs`: from the event being written to it being delivered
   * (delivered only). `retrying`: failed, another attempt is scheduled; `failed`: gave up.
   */
  webhookAttempted(e: {
    outcome: 'delivered' | 'retrying' | 'failed' | 'endpoint_deleted';
    durationMs: number;
    lagMs: number | null;
  }): void;
}

const nothing = () => undefined;

/** Reports nothing: what the services use when the composition root gives no telemetry. */
export const noopTelemetry: Telemetry = {
  connectFlowStarted: nothing,
  connectFlowFinished: nothing,
  refreshFinished: nothing,
  webhookAttempted: nothing,
};

export const telemetryOf = (deps: Pick<CoreDeps, 'telemetry'>): Telemetry =>
  deps.telemetry ?? noopTelemetry;

/** Milliseconds since `startedAt` (a `performance.now()` reading). */
export const elapsedMs = (startedAt: number): number => performance.now() - startedAt;
