import { DEFAULT_BREAKER, type BreakerOptions } from './breaker';
import { WEBHOOK_TIMEOUT_MS } from './send';

/**
 * A claim lasts for one attempt: the request's timeout plus a margin for reading the endpoint,
 * signing and recording the outcome. If the instance dies mid-attempt, another one sends the
 * message again once this has passed — at-least-once, duplicates share their `webhook-id`.
 */
export const WEBHOOK_LEASE_MS = WEBHOOK_TIMEOUT_MS + 5 * 1000;

export interface DispatcherOptions {
  /** Attempts in flight at once in this instance, over all endpoints. */
  concurrency: number;
  /**
   * Attempts in flight at once to one endpoint: a slow or dead endpoint holds at most this many
   * of the `concurrency` slots, so the others keep theirs.
   */
  perEndpoint: number;
  /** Rows read per query while looking for work that may start. */
  pageSize: number;
  breaker: BreakerOptions;
  /** How long `close()` lets running attempts finish before it aborts them. */
  closeGraceMs: number;
}

/** What the server's delivery loop runs with (see README, "Webhooks"). */
export const DEFAULT_DISPATCHER: DispatcherOptions = {
  concurrency: 128,
  perEndpoint: 32,
  pageSize: 200,
  breaker: DEFAULT_BREAKER,
  closeGraceMs: 2000,
};
