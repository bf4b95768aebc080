import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A host-app backend's API key, stored only as a SHA-256 hash (the key carries 128+ random bits,
 * so a fast hash is a safe lookup key: nothing to brute-force). `scopes` are what it may do
 * (packages/contracts/src/api-auth.ts); a revoked key (`revokedAt`) is refused by every instance
 * on its next call, because every call reads this row.
 */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.string().primary().length(40),
    keyHash: p.string().length(64).unique(),
    name: p.string().length(100),
    scopes: p.json<string[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiKey = InferEntity<typeof ApiKey>;
