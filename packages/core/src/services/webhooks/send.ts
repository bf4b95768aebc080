/**
 * The one place a webhook leaves Plugboard over HTTP: every attempt goes through `postWebhook`,
 * so a check on where it may go (e.g. refusing private addresses) wires in here with one line.
 */

import {
  EgressRefusedError,
  egressFetch,
  type EgressAgents,
  type EgressPolicy,
} from '../webhook-egress';

/** One attempt's HTTP request gives up after this. */
export const WEBHOOK_TIMEOUT_MS = 10 * 1000;

export interface WebhookRequest {
  url: string;
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` (https://www.standardwebhooks.com/). */
  headers: Record<string, string>;
  body: string;
  /** Where it may go (services/webhook-egress.ts): private addresses refused unless allowed. */
  egress: EgressPolicy;
  /** The dispatcher's kept-alive agents (one per origin); without them, one agent per attempt. */
  agents?: EgressAgents;
  /** Aborts the request early (e.g. the server is shutting down); the timeout applies anyway. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * What happened: the HTTP status if the receiver answered, and an error unless it was a 2xx
 * (`HTTP 500`, `timeout`, `network error`, or `aborted` when `signal` stopped it).
 */
export interface WebhookResponse {
  status: number | null;
  error: string | null;
}

/**
 * POSTs one signed message. Never throws: a network failure or timeout becomes `error`. Redirects
 * are not followed (a receiver must answer itself); the response body is discarded unread.
 */
export async function postWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  try {
    const res = await egressFetch(
      req.egress,
      req.url,
      {
        method: 'POST',
        redirect: 'manual',
        signal: req.signal ? AbortSignal.any([timeout, req.signal]) : timeout,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Plugboard-Webhooks/1',
          ...req.headers,
        },
        body: req.body,
      },
      req.agents,
    );
    await res.body?.cancel();
    return {
      status: res.status,
      error: res.status < 200 || res.status >= 300 ? `HTTP ${res.status}` : null,
    };
  } catch (err) {
    if (req.signal?.aborted) return { status: null, error: 'aborted' };
    return {
      status: null,
      error:
        err instanceof EgressRefusedError
          ? 'address refused'
          : err instanceof Error && err.name === 'TimeoutError'
            ? 'timeout'
            : 'network error',
    };
  }
}
