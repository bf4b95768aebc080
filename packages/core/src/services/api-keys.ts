import {
  AccessTokenSchema,
  ApiKeySchema,
  PlugboardError,
  ScopeSchema,
  type ApiKeyDto,
  type CreateApiKeyInput,
  type Scope,
} from '@plugboard/contracts';
import { ApiClient, ApiKey, type Em } from '@plugboard/db';
import { newId, randomSecret, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';
import { recordAudit } from './audit';
import { dateOf, jsonOf, readRow } from './raw-rows';

/**
 * Server-API credentials: API keys (`pk_…`) and API clients' access tokens (`pat_…`, issued by
 * services/api-clients.ts). Both are stored only as SHA-256 hashes: they are 128–256 random bits,
 * so there is nothing to guess and a fast hash is a safe, indexed lookup key (slow password hashes
 * such as argon2 exist for low-entropy secrets people choose, and would cost every request).
 * A verdict is kept in memory for at most `VERDICT_TTL_MS` (`verifyApiKey`): a revocation is
 * refused at once by the instance that revoked, and by every other instance within that bound.
 */

/** Who is calling the server API: an API key (`key_…`) or an API client (`cli_…`). */
export interface Principal {
  kind: 'api_key' | 'api_client';
  id: string;
  name: string;
  scopes: Scope[];
}

/** `lastUsedAt` is written at most this often per credential (not one write per request). */
const LAST_USED_GRANULARITY_MS = 60_000;

export const scopesOf = (raw: unknown): Scope[] =>
  Array.isArray(raw) ? raw.filter((s): s is Scope => ScopeSchema.safeParse(s).success) : [];

/** Makes sure an API key given in the environment is accepted, with `admin`. Idempotent. */
export async function ensureApiKey(
  em: Em,
  key: string,
  name: string,
  scopes: Scope[] = ['admin'],
): Promise<void> {
  if (!ApiKeySchema.safeParse(key).success) {
    throw new Error(
      'PLUGBOARD_BOOTSTRAP_API_KEY must look like pk_ followed by 16–64 letters, digits, _ or -',
    );
  }
  // One statement that is a no-op when the key is there already: instances starting at once
  // each run it, and none fails on the unique key_hash. A revoked bootstrap key stays revoked.
  await em
    .createQueryBuilder(ApiKey)
    .insert({
      id: newId('key_'),
      keyHash: sha256Hex(key),
      name,
      scopes,
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    })
    .onConflict('keyHash')
    .ignore()
    .execute();
}

/** The parsed scopes of a row's `scopes` column, by its text (rows share a handful of values). */
const scopesCache = new Map<string, Scope[]>();
function scopesOfColumn(raw: unknown): Scope[] {
  const key = typeof raw === 'string' ? raw : JSON.stringify(raw);
  let scopes = scopesCache.get(key);
  if (!scopes) {
    scopes = scopesOf(jsonOf(raw));
    if (scopesCache.size >= 1000) scopesCache.clear();
    scopesCache.set(key, scopes);
  }
  return scopes;
}

/**
 * How long a valid credential's verdict is kept in memory (per ORM, i.e. per server instance).
 * This is the bound on how late another instance refuses a revoked key or client; the instance
 * that revokes forgets every verdict at once (`forgetVerdicts`). Issue 13 allows "API-key
 * verification with a short, bounded, revocation-aware cache": at 1 s a busy key costs one
 * select per second per instance instead of one per call.
 */
export const VERDICT_TTL_MS = 1000;
const VERDICTS_MAX = 10_000;

interface Verdict {
  principal: Principal;
  /** An access token's own expiry (ms); checked on every hit, by the caller's clock. */
  expiresAt: number | null;
  /** Real time (Date.now) after which the row is read again. */
  until: number;
}

/** Positive verdicts by the credential's SHA-256, per ORM (the EntityManager's Configuration). */
const verdicts = new WeakMap<object, Map<string, Verdict>>();

function verdictsOf(em: Em): Map<string, Verdict> {
  let map = verdicts.get(em.config);
  if (!map) verdicts.set(em.config, (map = new Map()));
  return map;
}

/**
 * Forgets every cached verdict of this instance: called when a key or client is revoked, so the
 * revoking instance refuses it at its next call (other instances: within `VERDICT_TTL_MS`).
 */
export function forgetVerdicts(em: Em): void {
  verdicts.get(em.config)?.clear();
}

/**
 * Checks a bearer credential without recording its use (the rate limiter's bucket choice).
 * Unknown, malformed and revoked → API_KEY_INVALID; an access token past its expiry →
 * ACCESS_TOKEN_EXPIRED (the client should fetch a new one).
 *
 * A valid verdict is kept for `VERDICT_TTL_MS` of real time (bounded to `VERDICTS_MAX` entries,
 * by the credential's hash, never the credential): a revocation is refused at once by the
 * instance that revoked (`forgetVerdicts`) and by every other instance within that bound; an
 * access token's expiry is checked on every call. Unknown and refused credentials are never
 * cached, so a new key works at once. A miss reads the row: one indexed select by the hash,
 * through the connection without hydrating an entity (the lookup issue 13's raw baseline does).
 */
export async function verifyApiKey(
  em: Em,
  bearer: string | undefined,
  now: Date = new Date(),
): Promise<Principal> {
  if (!bearer) throw new PlugboardError('API_KEY_INVALID');
  const hash = sha256Hex(bearer);
  const cache = verdictsOf(em);
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) {
    if (hit.expiresAt !== null && hit.expiresAt <= now.getTime()) {
      throw new PlugboardError('ACCESS_TOKEN_EXPIRED');
    }
    return { ...hit.principal, scopes: [...hit.principal.scopes] };
  }
  const verdict = await readVerdict(em, bearer, hash, now);
  if (cache.size >= VERDICTS_MAX) cache.clear();
  cache.set(hash, verdict);
  return { ...verdict.principal, scopes: [...verdict.principal.scopes] };
}

async function readVerdict(em: Em, bearer: string, hash: string, now: Date): Promise<Verdict> {
  const until = Date.now() + VERDICT_TTL_MS;
  if (ApiKeySchema.safeParse(bearer).success) {
    const row = await readRow(
      em,
      'select id, name, scopes, revoked_at from api_keys where key_hash = ?',
      [hash],
    );
    if (!row || row.revoked_at != null) throw new PlugboardError('API_KEY_INVALID');
    const principal: Principal = {
      kind: 'api_key',
      id: String(row.id),
      name: String(row.name),
      scopes: [...scopesOfColumn(row.scopes)],
    };
    return { principal, expiresAt: null, until };
  }
  if (AccessTokenSchema.safeParse(bearer).success) {
    // The token and its client in one statement: a revoked client's tokens stop at once.
    const row = await readRow(
      em,
      'select t.expires_at, t.scopes as token_scopes, c.id, c.name, c.scopes, c.revoked_at ' +
        'from api_access_tokens t left join api_clients c on c.id = t.client_id ' +
        'where t.token_hash = ?',
      [hash],
    );
    if (!row) throw new PlugboardError('API_KEY_INVALID');
    const expiresAt = dateOf(row.expires_at)!.getTime();
    if (expiresAt <= now.getTime()) {
      throw new PlugboardError('ACCESS_TOKEN_EXPIRED');
    }
    if (row.id == null || row.revoked_at != null) throw new PlugboardError('API_KEY_INVALID');
    const clientScopes = scopesOfColumn(row.scopes);
    const principal: Principal = {
      kind: 'api_client',
      id: String(row.id),
      name: String(row.name),
      scopes: scopesOfColumn(row.token_scopes).filter((s) => clientScopes.includes(s)),
    };
    return { principal, expiresAt, until };
  }
  throw new PlugboardError('API_KEY_INVALID');
}

/**
 * When this process last wrote each credential's `lastUsedAt`, per CoreDeps (one server
 * instance): the write happens at most once a minute per credential and instance, and the check
 * for it costs no query.
 */
const lastUsedWrites = new WeakMap<object, Map<string, number>>();
const LAST_USED_TRACKED_MAX = 10_000;

/** Checks a bearer credential and keeps its `lastUsedAt` (at minute granularity). */
export async function authenticateBearer(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  bearer: string | undefined,
): Promise<Principal> {
  const now = deps.clock.now();
  const principal = await verifyApiKey(em, bearer, now);
  let written = lastUsedWrites.get(deps);
  if (!written) lastUsedWrites.set(deps, (written = new Map()));
  const at = written.get(principal.id);
  if (at !== undefined && Math.abs(now.getTime() - at) < LAST_USED_GRANULARITY_MS) {
    return principal;
  }
  if (written.size >= LAST_USED_TRACKED_MAX) written.clear();
  written.set(principal.id, now.getTime());
  const stale = {
    $or: [
      { lastUsedAt: null },
      { lastUsedAt: { $lt: new Date(now.getTime() - LAST_USED_GRANULARITY_MS) } },
    ],
  };
  if (principal.kind === 'api_key') {
    await em.nativeUpdate(ApiKey, { id: principal.id, ...stale }, { lastUsedAt: now });
  } else {
    await em.nativeUpdate(ApiClient, { id: principal.id, ...stale }, { lastUsedAt: now });
  }
  return principal;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** How an API key or an API client is listed (both rows have these columns): never a secret. */
export function credentialDto(row: ApiKey | ApiClient): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    scopes: scopesOf(row.scopes),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

/** A new API key; the key is in the answer only (stored as its hash). */
export async function createApiKey(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  input: CreateApiKeyInput,
  actor: string,
): Promise<ApiKeyDto & { key: string }> {
  const key = `pk_${randomSecret(32)}`;
  const row = em.create(ApiKey, {
    id: newId('key_'),
    keyHash: sha256Hex(key),
    name: input.name,
    scopes: input.scopes,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  });
  recordAudit(em, deps, {
    action: 'api_key.created',
    actor,
    targetId: row.id,
    detail: { scopes: input.scopes.join(' ') },
  });
  await em.flush();
  return { ...credentialDto(row), key };
}

export async function listApiKeys(em: Em): Promise<{ items: ApiKeyDto[] }> {
  const rows = await em.find(ApiKey, {}, { orderBy: { createdAt: 'desc', id: 'asc' } });
  return { items: rows.map(credentialDto) };
}

/** Revokes a key at once; `revoked: false` when it was revoked already. Unknown id → NOT_FOUND. */
export async function revokeApiKey(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  id: string,
  actor: string,
): Promise<{ revoked: boolean }> {
  const row = await em.findOne(ApiKey, { id });
  if (!row) throw new PlugboardError('NOT_FOUND', 'No API key has that id.');
  if (row.revokedAt) return { revoked: false };
  row.revokedAt = deps.clock.now();
  recordAudit(em, deps, { action: 'api_key.revoked', actor, targetId: id });
  await em.flush();
  forgetVerdicts(em);
  return { revoked: true };
}
