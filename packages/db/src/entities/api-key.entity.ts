import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A host-app backend's API key, stored only as a SHA-256 hash. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.string().primary().length(40),
    keyHash: p.string().length(64).unique(),
    name: p.string().length(100),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ApiKey = InferEntity<typeof ApiKey>;
