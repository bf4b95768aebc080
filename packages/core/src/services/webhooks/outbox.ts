import {
  type ConnectionEventData,
  type WebhookDeliveryDto,
  type WebhookEventType,
} from '@plugboard/contracts';
import {
  WebhookDelivery,
  WebhookEndpoint,
  type Connection,
  type DeliveryStatus,
  type Em,
} from '@plugboard/db';
import { newId } from '../../crypto';
import type { CoreDeps } from '../../deps';

/**
 * The outbox: one `webhook_deliveries` row per (event, subscribed endpoint), written in the same
 * unit of work as the change it reports, and read back for `webhooks.deliveries`.
 */

export function connectionEventData(
  c: Pick<Connection, 'id' | 'providerId' | 'externalUserId' | 'accountId' | 'label' | 'status'>,
): ConnectionEventData {
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
