import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A single-use link an app mints for one end user; only the hash of the token is kept. */
export const ConnectToken = defineEntity({
  name: 'ConnectToken',
  tableName: 'connect_tokens',
  properties: {
    id: p.string().primary().length(40),
    tokenHash: p.string().length(64).unique(),
    externalUserId: p.string().length(250).index(),
    allowedOrigins: p.json<string[]>(),
    expiresAt: p.datetime(),
    /** BCP 47 tag for the Connect UI (contracts LocaleSchema), or null: the browser decides. */
    locale: p.string().length(35).nullable(),
    /** The host's intent (contracts CreateConnectTokenInput): a one-provider link, or null. */
    providerId: p.string().length(64).nullable(),
    successRedirectUrl: p.string().length(2048).nullable(),
    errorRedirectUrl: p.string().length(2048).nullable(),
    endUserLabel: p.string().length(100).nullable(),
    /** A reconnect link: the connection its flow renews (pinned to its provider), or null. */
    reconnectConnectionId: p.string().length(40).nullable(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ConnectToken = InferEntity<typeof ConnectToken>;
