import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A provider's configuration set through `server.integrations.upsert` (one row per provider,
 * absent until first set): its OAuth client (the secret sealed with AES-GCM, bound to this row),
 * a scopes override, the mode and whether it is offered. Null = not set here (the environment or
 * the default applies; packages/core/src/services/integrations.ts has the precedence).
 */
export const Integration = defineEntity({
  name: 'Integration',
  tableName: 'integrations',
  properties: {
    providerId: p.string().primary().length(40),
    enabled: p.boolean(),
    mode: p.string().length(8).nullable(),
    clientId: p.string().length(500).nullable(),
    clientSecretEnc: p.text().nullable(),
    scopes: p.json<string[]>().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Integration = InferEntity<typeof Integration>;
