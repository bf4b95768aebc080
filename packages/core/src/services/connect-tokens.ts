import {
  ID_PREFIX,
  PlugboardError,
  type ConnectTokenDto,
  type CreateConnectTokenInput,
} from '@plugboard/contracts';
import { ConnectToken, Connection, type Em } from '@plugboard/db';
import { findCatalogEntry } from '@plugboard/providers';
import { newId, randomSecret, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';

/** Mints a single-use connect token for one end user (the Pipedream Connect model). */
export async function createConnectToken(
  em: Em,
  deps: CoreDeps,
  input: CreateConnectTokenInput,
): Promise<ConnectTokenDto> {
  for (const field of ['successRedirectUrl', 'errorRedirectUrl'] as const) {
    const value = input[field];
    // The schema allows http on loopback hosts, which only development may use.
    if (value && new URL(value).protocol !== 'https:' && !deps.settings.allowInsecureRedirects) {
      throw new PlugboardError('VALIDATION_FAILED', `Invalid input: ${field}: must use https`);
    }
  }
  const reconnect = input.reconnectConnectionId
    ? await reconnectTarget(em, deps, input, input.reconnectConnectionId)
    : null;
  const token = `${ID_PREFIX.connectToken}${randomSecret(32)}`;
  const now = deps.clock.now();
  const ttl = input.ttlSeconds ?? deps.settings.connectTokenDefaultTtlSeconds;
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  em.create(ConnectToken, {
    id: newId('ctk_'),
    tokenHash: sha256Hex(token),
    externalUserId: input.externalUserId,
    allowedOrigins: input.allowedOrigins?.map((o) => new URL(o).origin) ?? [],
    expiresAt,
    locale: input.locale ?? null,
    // A reconnect link is a one-provider link for that connection's provider.
    providerId: reconnect?.providerId ?? input.providerId ?? null,
    successRedirectUrl: input.successRedirectUrl ?? null,
    errorRedirectUrl: input.errorRedirectUrl ?? null,
    endUserLabel: input.endUserLabel ?? null,
    reconnectConnectionId: reconnect?.id ?? null,
    usedAt: null,
    createdAt: now,
  });
  await em.flush();
  const link = new URL('/connect', deps.settings.publicUrl);
  link.searchParams.set('token', token);
  return { token, expiresAt: expiresAt.toISOString(), connectLinkUrl: link.toString() };
}

/**
 * The connection a reconnect link renews: one of this end user's (the same answer for a deleted
 * one and another user's, so a token-minting credential learns nothing about other users), for
 * the token's provider if it names one, and of a mode that can refuse another account.
 */
async function reconnectTarget(
  em: Em,
  deps: CoreDeps,
  input: CreateConnectTokenInput,
  id: string,
): Promise<{ id: string; providerId: string }> {
  const target = await em.findOne(Connection, { id, externalUserId: input.externalUserId });
  if (!target) {
    throw new PlugboardError(
      'NOT_FOUND',
      `reconnectConnectionId: ${input.externalUserId} has no connection with that id (it was deleted, or it is another user's). Mint a token without reconnectConnectionId to connect the account anew.`,
    );
  }
  if (input.providerId && input.providerId !== target.providerId) {
    throw new PlugboardError(
      'VALIDATION_FAILED',
      `Invalid input: providerId: the connection to reconnect is a ${target.providerId} connection; leave providerId out or set it to ${target.providerId}`,
    );
  }
  // A reconnect link must refuse another account: only modes that can tell get one.
  const entry = findCatalogEntry(target.providerId);
  if (entry && !deps.modes[entry.authMode].reconnectsByLink) {
    throw new PlugboardError(
      'VALIDATION_FAILED',
      `Invalid input: reconnectConnectionId: ${entry.name} connections cannot be reconnected by link; mint a token without it and connect ${entry.name} again`,
    );
  }
  return { id: target.id, providerId: target.providerId };
}
