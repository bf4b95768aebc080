import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * An API client for OAuth 2.0 client credentials (RFC 6749 §4.4,
 * https://datatracker.ietf.org/doc/html/rfc6749#section-4.4): `id` is the public client_id, the
 * secret is stored only as a SHA-256 hash (it carries 256 random bits). Revoking it ends its
 * access tokens at once (every check reads this row).
 */
export const ApiClient = defineEntity({
  name: 'ApiClient',
  tableName: 'api_clients',
  properties: {
    id: p.string().primary().length(40),
    secretHash: p.string().length(64),
    name: p.string().length(100),
    scopes: p.json<string[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiClient = InferEntity<typeof ApiClient>;

/** A short-lived bearer token issued to an API client by POST /oauth/token; only its hash. */
export const ApiAccessToken = defineEntity({
  name: 'ApiAccessToken',
  tableName: 'api_access_tokens',
  indexes: [{ properties: ['clientId'] }, { properties: ['expiresAt'] }],
  properties: {
    id: p.string().primary().length(40),
    tokenHash: p.string().length(64).unique(),
    clientId: p.string().length(40),
    scopes: p.json<string[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});
export type ApiAccessToken = InferEntity<typeof ApiAccessToken>;
