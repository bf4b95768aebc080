import { WebhookEndpoint, type Em } from '@plugboard/db';
import { Webhook } from 'standardwebhooks';
import { open } from '../../crypto';
import type { CoreDeps } from '../../deps';
import { elapsedMs, telemetryOf } from '../../telemetry';
import type { EgressAgents, EgressPolicy } from '../webhook-egress';
import { secretAad } from './endpoints';
import { postWebhook } from './send';
import type { DeliveryWriter } from './store';

// One attempt of one claimed delivery — sign, send, record the outcome — and the endpoint
// targets it is sent to. The scheduling around it (slots, ordering, breakers) is delivery.ts.

/**
 * Retry schedule after a failed attempt (Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after
 * the last one the delivery is marked failed.
 */
const RETRY_DELAYS_S = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];

/**
 * A due delivery as the dispatcher reads it (a plain select, no entity): what one attempt needs.
 * `body` is the stored payload's JSON text, sent (and signed) as it is.
 */
export interface DueDelivery {
  id: string;
  messageId: string;
  endpointId: string;
  body: string;
  /** The event's `data.connectionId`, for ordering per connection; null when it has none. */
  connectionId: string | null;
  createdAt: Date;
}

/** Where a delivery goes: its endpoint's URL and the signer over its secret. */
export interface Target {
  url: string;
  signer: Webhook;
}

/** What an attempt means for its endpoint's breaker. */
export type Attempted = 'delivered' | 'failed' | 'released';

/** Endpoints (url and signer) are re-read at most this often, or when a delivery names a new one. */
const ENDPOINT_CACHE_MS = 5000;

/** Each endpoint's URL and signer, cached per dispatcher. */
export class EndpointTargets {
  private targets = new Map<string, Target>();
  private targetsReadAt = -Infinity;
  private readonly signers = new Map<string, { secretEnc: string; signer: Webhook }>();

  constructor(
    private readonly em: () => Em,
    private readonly keyring: CoreDeps['keyring'],
  ) {}

  /** Each endpoint's URL and signer; the secret is opened once per endpoint, not per message. */
  async for(rows: DueDelivery[]): Promise<Map<string, Target>> {
    const stale = Date.now() - this.targetsReadAt > ENDPOINT_CACHE_MS;
    if (stale || rows.some((d) => !this.targets.has(d.endpointId))) {
      const endpoints = await this.em().find(WebhookEndpoint, {});
      const targets = new Map<string, Target>();
      for (const e of endpoints) {
        let cached = this.signers.get(e.id);
        if (cached?.secretEnc !== e.secretEnc) {
          cached = {
            secretEnc: e.secretEnc,
            signer: new Webhook(open(this.keyring, e.secretEnc, secretAad(e.id))),
          };
          this.signers.set(e.id, cached);
        }
        targets.set(e.id, { url: e.url, signer: cached.signer });
      }
      this.targets = targets;
      this.targetsReadAt = Date.now();
    }
    return this.targets;
  }
}

export interface AttemptContext {
  deps: CoreDeps;
  writer: DeliveryWriter;
  /** Aborted when the dispatcher closes: the attempt gives its claim back. */
  signal: AbortSignal;
  egress: EgressPolicy;
  /** The dispatcher's HTTP agents, one per origin, kept alive between attempts. */
  agents: EgressAgents;
}

/** Sends one claimed delivery and records the outcome (only while the claim holds). */
export async function attemptDelivery(
  { deps, writer, signal, egress, agents }: AttemptContext,
  d: DueDelivery,
  claimedAttempts: number,
  leaseUntil: Date,
  target: Target | null,
): Promise<Attempted> {
  if (!target) {
    await writer.record(d.id, leaseUntil, { kind: 'endpoint-deleted' });
    telemetryOf(deps).webhookAttempted({
      outcome: 'endpoint_deleted',
      durationMs: 0,
      lagMs: null,
    });
    return 'released';
  }
  const body = d.body;
  const sentAt = deps.clock.now();
  const startedAt = performance.now();
  const { status, error } = await postWebhook({
    egress,
    agents,
    url: target.url,
    headers: {
      'webhook-id': d.messageId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': target.signer.sign(d.messageId, sentAt, body),
    },
    body,
    signal: signal,
  });
  const durationMs = elapsedMs(startedAt);
  if (error === 'aborted') {
    // Shutting down: give the claim back; the attempt does not count.
    await writer.record(d.id, leaseUntil, { kind: 'release' });
    return 'released';
  }
  const attempts = claimedAttempts + 1;
  const now = deps.clock.now();
  if (!error) {
    const recorded = await writer.record(d.id, leaseUntil, {
      kind: 'delivered',
      attempts,
      status,
      at: now,
    });
    if (!recorded) leaseLost(deps, d);
    const lagMs = now.getTime() - d.createdAt.getTime();
    telemetryOf(deps).webhookAttempted({ outcome: 'delivered', durationMs, lagMs });
    return 'delivered';
  }
  const delay = RETRY_DELAYS_S[attempts - 1];
  const recorded = await writer.record(
    d.id,
    leaseUntil,
    delay === undefined
      ? { kind: 'failed', attempts, status, error }
      : {
          kind: 'retry',
          attempts,
          status,
          error,
          nextAttemptAt: new Date(now.getTime() + delay * 1000),
        },
  );
  if (!recorded) leaseLost(deps, d);
  telemetryOf(deps).webhookAttempted({
    outcome: delay === undefined ? 'failed' : 'retrying',
    durationMs,
    lagMs: null,
  });
  deps.logger.warn(
    { deliveryId: d.id, endpointId: d.endpointId, attempts, error },
    'webhook delivery failed',
  );
  return 'failed';
}

function leaseLost(deps: CoreDeps, d: DueDelivery): void {
  deps.logger.warn(
    { deliveryId: d.id, endpointId: d.endpointId },
    'webhook attempt outlasted its lease; another instance took the message over',
  );
}
