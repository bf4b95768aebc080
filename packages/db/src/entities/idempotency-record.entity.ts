import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One `Idempotency-Key` a REST client sent with a create (apps/server/src/rest/idempotency.ts):
 * unique per credential (`credentialId`: the API key `key_…` or API client `cli_…`) and key, so
 * two concurrent requests with the same key cannot both run — the second insert fails and waits
 * for the first one's answer. `requestHash` fingerprints method, path and body (a different body
 * with the same key is refused); `responseStatus` is null while the first request runs, and the
 * answer's body is kept sealed (it can hold a new API key, a webhook secret or a connect token).
 * Only the key's and the request's SHA-256 are stored. Purged by retention after 24 hours.
 */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_records',
  uniques: [{ properties: ['credentialId', 'keyHash'] }],
  indexes: [{ properties: ['createdAt'] }],
  properties: {
    id: p.string().primary().length(40),
    credentialId: p.string().length(40),
    keyHash: p.string().length(64),
    requestHash: p.string().length(64),
    responseStatus: p.integer().nullable(),
    responseEnc: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecord>;
