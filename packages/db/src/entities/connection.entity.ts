import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const CONNECTION_STATUSES = ['active', 'needs_reauth', 'revoked'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * A connected account. Credentials are one AES-256-GCM ciphertext bound to this row and column;
 * `version` is bumped on every credential change; a refresh first takes `refreshLeaseUntil` by
 * compare-and-swap so that, across processes, only one of them calls the provider.
 */
export const Connection = defineEntity({
  name: 'Connection',
  tableName: 'connections',
  uniques: [{ properties: ['providerId', 'externalUserId', 'accountId'] }],
  // The background refresh and the refresh-queue gauge find due connections by this.
  indexes: [
    { properties: ['status', 'accessTokenExpiresAt'] },
    { properties: ['status', 'healthCheckDueAt'] },
  ],
  properties: {
    id: p.string().primary().length(40),
    providerId: p.string().length(40),
    externalUserId: p.string().length(250).index(),
    accountId: p.string().length(255),
    label: p.string().length(500),
    status: p.enum([...CONNECTION_STATUSES] as ConnectionStatus[]).default('active'),
    credentialsEnc: p.text(),
    metadata: p.json<Record<string, unknown>>(),
    scopes: p.json<string[]>(),
    accessTokenExpiresAt: p.datetime().nullable(),
    version: p.integer().default(1),
    /** While set and in the future, one process is refreshing the credentials (cross-process lease). */
    refreshLeaseUntil: p.datetime().nullable(),
    /** When credentials were last refreshed at the provider (null: never since connecting). */
    lastRefreshedAt: p.datetime().nullable(),
    /**
     * The background refresh leaves the row alone until then: one instance's claim while it
     * refreshes, or the back-off after failed attempts (packages/core/src/services/refresh/).
     */
    refreshNotBefore: p.datetime().nullable(),
    /** Background refresh attempts that failed in a row (0 after a success). */
    refreshFailures: p.integer().default(0),
    /** When a token that never expires is next checked at the provider (null: not scheduled). */
    healthCheckDueAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type Connection = InferEntity<typeof Connection>;
