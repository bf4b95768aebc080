import { WebhookDelivery, WebhookEndpoint, type Em } from '@plugboard/db';
import { Webhook } from 'standardwebhooks';
import { open } from '../../crypto';
import type { CoreDeps } from '../../deps';
import { secretAad } from './endpoints';
import { postWebhook, WEBHOOK_TIMEOUT_MS } from './send';

/**
 * Retry schedule after a failed attempt (Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after
 * the last one the delivery is marked failed.
 */
const RETRY_DELAYS_S = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];
/**
 * A claim lasts for one attempt: the request's timeout plus a margin for reading the endpoint,
 * signing and recording the outcome. If the instance dies mid-attempt, another one sends the
 * message again once this has passed — at-least-once, duplicates share their `webhook-id`.
 */
export const WEBHOOK_LEASE_MS = WEBHOOK_TIMEOUT_MS + 5 * 1000;

/**
 * Sends what is due. Every instance may run this: a delivery is claimed by compare-and-swap on
 * its lease, stamped with the clock at that claim (not at the start of the batch: a batch of
 * slow receivers takes longer than one lease), so each attempt happens once while its instance
 * lives. Returns how many were attempted.
 */
export async function deliverDueWebhooks(em: Em, deps: CoreDeps, limit = 20): Promise<number> {
  const now = deps.clock.now();
  const due = await em.find(
    WebhookDelivery,
    {
      status: 'pending',
      nextAttemptAt: { $lte: now },
      $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }],
    },
    { orderBy: { nextAttemptAt: 'asc' }, limit },
  );
  let attempted = 0;
  for (const d of due) {
    const claimedAt = deps.clock.now();
    const leaseUntil = new Date(claimedAt.getTime() + WEBHOOK_LEASE_MS);
    const claimed = await em.nativeUpdate(
      WebhookDelivery,
      {
        id: d.id,
        status: 'pending',
        // Another instance may have attempted it since the batch was read and set a later time.
        nextAttemptAt: { $lte: claimedAt },
        $or: [{ leaseUntil: null }, { leaseUntil: { $lte: claimedAt } }],
      },
      { leaseUntil },
    );
    if (claimed !== 1) continue;
    attempted += 1;
    // Fresh: the batch's copy may predate another instance's attempt (its count).
    const current = await em.fork().findOneOrFail(WebhookDelivery, { id: d.id });
    await attempt(em, deps, current, leaseUntil);
  }
  return attempted;
}

async function attempt(
  em: Em,
  deps: CoreDeps,
  d: WebhookDelivery,
  leaseUntil: Date,
): Promise<void> {
  // Outcomes are recorded only while this claim holds: if it ran out and another instance took
  // the message over, that instance records its own attempt.
  const ours = { id: d.id, leaseUntil };
  const endpoint = await em.findOne(WebhookEndpoint, { id: d.endpointId });
  if (!endpoint) {
    await em.nativeUpdate(WebhookDelivery, ours, {
      status: 'failed',
      leaseUntil: null,
      lastError: 'endpoint deleted',
    });
    return;
  }
  const body = JSON.stringify(d.payload);
  const sentAt = deps.clock.now();
  const signature = new Webhook(
    open(deps.keyring, endpoint.secretEnc, secretAad(endpoint.id)),
  ).sign(d.messageId, sentAt, body);
  const { status, error } = await postWebhook({
    url: endpoint.url,
    headers: {
      'webhook-id': d.messageId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
  const attempts = d.attempts + 1;
  const now = deps.clock.now();
  if (!error) {
    const recorded = await em.nativeUpdate(WebhookDelivery, ours, {
      status: 'delivered',
      attempts,
      lastStatus: status,
      lastError: null,
      deliveredAt: now,
      leaseUntil: null,
    });
    if (recorded !== 1) leaseLost(deps, d);
    return;
  }
  const delay = RETRY_DELAYS_S[attempts - 1];
  const recorded = await em.nativeUpdate(
    WebhookDelivery,
    ours,
    delay === undefined
      ? { status: 'failed', attempts, lastStatus: status, lastError: error, leaseUntil: null }
      : {
          attempts,
          lastStatus: status,
          lastError: error,
          leaseUntil: null,
          nextAttemptAt: new Date(now.getTime() + delay * 1000),
        },
  );
  if (recorded !== 1) leaseLost(deps, d);
  deps.logger.warn(
    { deliveryId: d.id, endpointId: d.endpointId, attempts, error },
    'webhook delivery failed',
  );
}

function leaseLost(deps: CoreDeps, d: WebhookDelivery): void {
  deps.logger.warn(
    { deliveryId: d.id, endpointId: d.endpointId },
    'webhook attempt outlasted its lease; another instance took the message over',
  );
}
