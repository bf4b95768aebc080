import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A browser session of one end user (the cookie holds the token, the row only its hash). */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary().length(40),
    tokenHash: p.string().length(64).unique(),
    externalUserId: p.string().length(250).index(),
    allowedOrigins: p.json<string[]>(),
    demo: p.boolean().default(false),
    /** BCP 47 tag for the Connect UI (contracts LocaleSchema), or null: the browser decides. */
    locale: p.string().length(35).nullable(),
    /** The host's intent (contracts CreateConnectTokenInput): a one-provider link, or null. */
    providerId: p.string().length(64).nullable(),
    successRedirectUrl: p.string().length(2048).nullable(),
    errorRedirectUrl: p.string().length(2048).nullable(),
    endUserLabel: p.string().length(100).nullable(),
    /** A reconnect link: the connection its flow renews (pinned to its provider), or null. */
    reconnectConnectionId: p.string().length(40).nullable(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Session = InferEntity<typeof Session>;
