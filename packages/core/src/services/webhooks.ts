import {
  PlugboardError,
  type ConnectionEventData,
  type CreateWebhookInput,
  type CreatedWebhookDto,
  type WebhookDeliveryDto,
  type WebhookEndpointDto,
  type WebhookEventType,
} from '@plugboard/contracts';
import {
  WebhookDelivery,
  WebhookEndpoint,
  type Connection,
  type DeliveryStatus,
  type Em,
} from '@plugboard/db';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { aadFor, newId, open, seal } from '../crypto';
import type { CoreDeps } from '../deps';
import { endpointAudit, recordAudit } from './audit';
import {
  assertWebhookUrlAllowed,
  EgressRefusedError,
  egressPolicy,
  postWebhook,
} from './webhook-egress';

/**
 * Retry schedule after a failed attempt (Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after
 * the last one the delivery is marked failed.
 */
const RETRY_DELAYS_S = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];
/** One attempt's HTTP request gives up after this. */
export const WEBHOOK_TIMEOUT_MS = 10 * 1000;
/**
 * A claim lasts for one attempt: the request's timeout plus a margin for reading the endpoint,
 * signing and recording the outcome. If the instance dies mid-attempt, another one sends the
 * message again once this has passed — at-least-once, duplicates share their `webhook-id`.
 */
export const WEBHOOK_LEASE_MS = WEBHOOK_TIMEOUT_MS + 5 * 1000;

const secretAad = (endpointId: string) => aadFor('webhook_endpoints', 'secret', endpointId);

function toEndpointDto(e: WebhookEndpoint): WebhookEndpointDto {
  return {
    id: e.id,
    url: e.url,
    events: e.events as WebhookEventType[],
    createdAt: e.createdAt.toISOString(),
  };
}

export async function createWebhookEndpoint(
  em: Em,
  deps: CoreDeps,
  input: CreateWebhookInput,
  /** Who registers it, for the audit log (an API key id). */
  actor = 'system',
): Promise<CreatedWebhookDto> {
  const url = new URL(input.url);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback && !deps.settings.allowInsecureRedirects) {
    throw new PlugboardError('VALIDATION_FAILED', 'Webhook URLs must use https.');
  }
  await assertWebhookUrlAllowed(input.url, egressPolicy(deps));
  const id = newId('whe_');
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const row = em.create(WebhookEndpoint, {
    id,
    url: input.url,
    secretEnc: seal(deps.keyring, secret, secretAad(id)),
    events: [...new Set(input.events ?? [])],
    createdAt: deps.clock.now(),
  });
  recordAudit(em, deps, endpointAudit('webhook_endpoint.created', id, actor, url));
  await em.flush();
  return { ...toEndpointDto(row), secret };
}

export async function listWebhookEndpoints(em: Em): Promise<WebhookEndpointDto[]> {
  return (await em.find(WebhookEndpoint, {}, { orderBy: { createdAt: 'asc' } })).map(toEndpointDto);
}

/** Deletes the endpoint and whatever was still waiting to be sent to it. */
export async function deleteWebhookEndpoint(
  em: Em,
  id: string,
  /** Who removes it, for the audit log (an API key id) — with `deps` for its clock. */
  audit?: { deps: Pick<CoreDeps, 'clock'>; actor: string },
): Promise<{ id: string }> {
  const removed = await em.transactional(async (tx) => {
    await tx.nativeDelete(WebhookDelivery, { endpointId: id, status: 'pending' });
    const n = await tx.nativeDelete(WebhookEndpoint, { id });
    if (n === 1 && audit)
      recordAudit(tx, audit.deps, endpointAudit('webhook_endpoint.deleted', id, audit.actor));
    return n;
  });
  if (removed !== 1) throw new PlugboardError('NOT_FOUND', 'That webhook endpoint does not exist.');
  return { id };
}

export async function listWebhookDeliveries(
  em: Em,
  input: {
    endpointId?: string | undefined;
    status?: DeliveryStatus | undefined;
    limit?: number | undefined;
  },
): Promise<WebhookDeliveryDto[]> {
  const rows = await em.find(
    WebhookDelivery,
    {
      ...(input.endpointId ? { endpointId: input.endpointId } : {}),
      ...(input.status ? { status: input.status } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: input.limit ?? 50 },
  );
  return rows.map((d) => ({
    id: d.id,
    messageId: d.messageId,
    endpointId: d.endpointId,
    eventType: d.eventType as WebhookEventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    lastStatus: d.lastStatus ?? null,
    lastError: d.lastError ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  }));
}

export function connectionEventData(c: Connection): ConnectionEventData {
  return {
    connectionId: c.id,
    providerId: c.providerId,
    externalUserId: c.externalUserId,
    accountId: c.accountId,
    label: c.label,
    status: c.status,
  };
}

/**
 * Adds one outbox row per subscribed endpoint to the caller's unit of work: the caller flushes
 * (or commits its transaction) together with the change, so an event exists if and only if the
 * change does.
 */
export async function enqueueEvent(
  em: Em,
  deps: CoreDeps,
  type: WebhookEventType,
  data: ConnectionEventData,
): Promise<void> {
  const endpoints = await em.find(WebhookEndpoint, {});
  const now = deps.clock.now();
  const messageId = newId('msg_');
  const payload = { type, timestamp: now.toISOString(), data };
  for (const e of endpoints) {
    if (e.events.length > 0 && !e.events.includes(type)) continue;
    em.create(WebhookDelivery, {
      id: newId('whd_'),
      messageId,
      endpointId: e.id,
      eventType: type,
      payload,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      lastStatus: null,
      lastError: null,
      deliveredAt: null,
      createdAt: now,
    });
  }
}

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
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await postWebhook(deps, endpoint.url, {
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Plugboard-Webhooks/1',
        'webhook-id': d.messageId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    });
    status = res.status;
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (err) {
    error =
      err instanceof Error && err.name === 'TimeoutError'
        ? 'timeout'
        : err instanceof EgressRefusedError
          ? 'address refused'
          : 'network error';
  }
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
