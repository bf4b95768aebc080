import {
  ApiClientIdSchema,
  ApiClientSecretSchema,
  PlugboardError,
  type ApiClientDto,
  type CreateApiClientInput,
  type Scope,
} from '@plugboard/contracts';
import { ApiAccessToken, ApiClient, type Em } from '@plugboard/db';
import { timingSafeEqual } from 'node:crypto';
import { newId, randomSecret, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';
import { credentialDto, forgetVerdicts, scopesOf } from './api-keys';
import { recordAudit } from './audit';

/**
 * API clients and the OAuth 2.0 client credentials grant (RFC 6749 §4.4,
 * https://datatracker.ietf.org/doc/html/rfc6749#section-4.4). The secret and every access
 * token are 256 random bits stored as SHA-256 hashes (why that is enough: services/api-keys.ts).
 * An access token is checked like an API key by `verifyApiKey`, which also reads its client, so
 * revoking the client ends its tokens at once on this instance and within `VERDICT_TTL_MS` on others.
 */

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;

/** A new API client; its secret is in this answer only. */
export async function createApiClient(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  input: CreateApiClientInput,
  actor: string,
): Promise<ApiClientDto & { clientId: string; clientSecret: string }> {
  const clientSecret = `pcs_${randomSecret(32)}`;
  const row = em.create(ApiClient, {
    id: newId('cli_'),
    secretHash: sha256Hex(clientSecret),
    name: input.name,
    scopes: input.scopes,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  });
  recordAudit(em, deps, {
    action: 'api_client.created',
    actor,
    targetId: row.id,
    detail: { scopes: input.scopes.join(' ') },
  });
  await em.flush();
  return { ...credentialDto(row), clientId: row.id, clientSecret };
}

export async function listApiClients(em: Em): Promise<{ items: ApiClientDto[] }> {
  const rows = await em.find(ApiClient, {}, { orderBy: { createdAt: 'desc', id: 'asc' } });
  return { items: rows.map(credentialDto) };
}

/** Revokes a client and deletes its access tokens; `revoked: false` when it was revoked already. */
export async function revokeApiClient(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  id: string,
  actor: string,
): Promise<{ revoked: boolean }> {
  const result = await em.transactional(async (tx) => {
    const row = await tx.findOne(ApiClient, { id });
    if (!row) throw new PlugboardError('NOT_FOUND', 'No API client has that id.');
    if (row.revokedAt) return { revoked: false };
    row.revokedAt = deps.clock.now();
    await tx.nativeDelete(ApiAccessToken, { clientId: id });
    recordAudit(tx, deps, { action: 'api_client.revoked', actor, targetId: id });
    return { revoked: true };
  });
  // Its tokens' cached verdicts go at once here; other instances drop them within VERDICT_TTL_MS.
  forgetVerdicts(em);
  return result;
}

/** RFC 6749 §5.2 error codes this grant can answer with. */
export type TokenErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type';

export class TokenError extends Error {
  constructor(
    readonly error: TokenErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'TokenError';
  }
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** A hash compared in constant time, also for an unknown client (so timing shows nothing). */
const UNKNOWN_CLIENT_HASH = sha256Hex('pcs_unknown-client');

/**
 * The client credentials grant: authenticates the client and issues a short-lived token for
 * `requestedScope` (space-separated, RFC 6749 §3.3) or, when omitted, all of the client's scopes.
 */
export async function issueClientCredentialsToken(
  em: Em,
  deps: Pick<CoreDeps, 'clock' | 'settings'>,
  request: { clientId: string; clientSecret: string; scope?: string | undefined },
): Promise<IssuedToken> {
  const badClient = () => new TokenError('invalid_client', 'Client authentication failed.');
  const idOk = ApiClientIdSchema.safeParse(request.clientId).success;
  const secretOk = ApiClientSecretSchema.safeParse(request.clientSecret).success;
  const client = idOk ? await em.findOne(ApiClient, { id: request.clientId }) : null;
  const expected = Buffer.from(client?.secretHash ?? UNKNOWN_CLIENT_HASH, 'hex');
  const given = Buffer.from(sha256Hex(request.clientSecret), 'hex');
  const match = timingSafeEqual(expected, given);
  if (!client || !secretOk || !match || client.revokedAt) throw badClient();

  const clientScopes = scopesOf(client.scopes);
  let scopes = clientScopes;
  if (request.scope !== undefined) {
    const asked = [...new Set(request.scope.split(' ').filter(Boolean))];
    if (asked.length === 0) throw new TokenError('invalid_scope', 'scope must not be empty.');
    const outside = asked.filter((s) => !clientScopes.includes(s as Scope));
    if (outside.length > 0) {
      throw new TokenError(
        'invalid_scope',
        `This client may not request: ${outside.slice(0, 5).join(' ').slice(0, 200)}.`,
      );
    }
    scopes = asked as Scope[];
  }

  const now = deps.clock.now();
  const ttl = deps.settings.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  const accessToken = `pat_${randomSecret(32)}`;
  // Expired tokens of this client are of no use to anyone: drop them as new ones are issued.
  await em.nativeDelete(ApiAccessToken, { clientId: client.id, expiresAt: { $lte: now } });
  await em.insert(ApiAccessToken, {
    id: newId('tok_'),
    tokenHash: sha256Hex(accessToken),
    clientId: client.id,
    scopes,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttl * 1000),
  });
  await em.nativeUpdate(ApiClient, { id: client.id }, { lastUsedAt: now });
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ttl,
    scope: scopes.join(' '),
  };
}
