import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The outbox: one row per event and endpoint, written in the same transaction as the change it
 * reports, then delivered (and retried) by any instance holding its lease.
 */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  indexes: [
    { properties: ['status', 'nextAttemptAt'] },
    // The retention purge: finished deliveries by age.
    { properties: ['status', 'createdAt'] },
  ],
  properties: {
    id: p.string().primary().length(40),
    /** The `webhook-id` header: the same for every endpoint and retry of one event. */
    messageId: p.string().length(40).index(),
    endpointId: p.string().length(40).index(),
    eventType: p.string().length(60),
    payload: p.json<Record<string, unknown>>(),
    status: p.enum([...DELIVERY_STATUSES] as DeliveryStatus[]).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    leaseUntil: p.datetime().nullable(),
    lastStatus: p.integer().nullable(),
    lastError: p.string().length(300).nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;
