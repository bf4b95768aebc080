import {
  ID_PREFIX,
  PlugboardError,
  type ConnectTokenDto,
  type CreateConnectTokenInput,
} from '@plugboard/contracts';
import { ConnectToken, type Em } from '@plugboard/db';
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
    providerId: input.providerId ?? null,
    successRedirectUrl: input.successRedirectUrl ?? null,
    errorRedirectUrl: input.errorRedirectUrl ?? null,
    endUserLabel: input.endUserLabel ?? null,
    usedAt: null,
    createdAt: now,
  });
  await em.flush();
  const link = new URL('/connect', deps.settings.publicUrl);
  link.searchParams.set('token', token);
  return { token, expiresAt: expiresAt.toISOString(), connectLinkUrl: link.toString() };
}
