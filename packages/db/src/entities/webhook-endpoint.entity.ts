import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A host-app URL that receives signed events; its signing secret is sealed (AES-GCM). */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: p.string().primary().length(40),
    url: p.string().length(2048),
    secretEnc: p.text(),
    /** Event types it receives; empty = all. */
    events: p.json<string[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type WebhookEndpoint = InferEntity<typeof WebhookEndpoint>;
