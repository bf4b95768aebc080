import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ATTEMPT_STATUSES = ['pending', 'completed', 'failed', 'expired'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/**
 * One started OAuth flow. `stateHash` finds it on the callback; `consumedAt` is set by a single
 * compare-and-swap so a replayed callback can never reach the token endpoint twice. The token
 * endpoint and redirect URI used are stored with it (never derived from callback parameters).
 */
export const AuthAttempt = defineEntity({
  name: 'AuthAttempt',
  tableName: 'auth_attempts',
  properties: {
    id: p.string().primary().length(40),
    providerId: p.string().length(40),
    externalUserId: p.string().length(250).index(),
    sessionId: p.string().length(40).nullable(),
    stateHash: p.string().length(64).unique(),
    pkceVerifierEnc: p.text().nullable(),
    redirectUri: p.string().length(2048),
    tokenUrl: p.string().length(2048),
    inputs: p.json<Record<string, string>>(),
    returnTo: p.string().length(2048).nullable(),
    status: p.enum([...ATTEMPT_STATUSES] as AttemptStatus[]).default('pending'),
    errorCode: p.string().length(40).nullable(),
    connectionId: p.string().length(40).nullable(),
    /** A reconnect: the connection this attempt renews; another account is refused for it. */
    reconnectConnectionId: p.string().length(40).nullable(),
    /** Indexed for the retention purge. */
    expiresAt: p.datetime().index(),
    consumedAt: p.datetime().nullable(),
    // Headless attempts (server API): the host's backend started them, so no session exists.
    // The browser is bound when it opens the single-use launch link, which sets a cookie whose
    // hash is kept here, and is only then sent on to the provider's sealed authorization URL.
    hostRedirectUrl: p.string().length(2048).nullable(),
    launchTokenHash: p.string().length(64).nullable().unique(),
    authorizationUrlEnc: p.text().nullable(),
    bindingHash: p.string().length(64).nullable(),
    launchedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type AuthAttempt = InferEntity<typeof AuthAttempt>;
