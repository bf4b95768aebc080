import {
  AuditActionSchema,
  type AuditAction,
  type AuditEntryDto,
  type ListAuditLogInput,
  type ListAuditLogOutput,
} from '@plugboard/contracts';
import { AuditEntry, type Em } from '@plugboard/db';
import { randomFillSync } from 'node:crypto';
import type { CoreDeps } from '../deps';
import { insertAuditGrouped } from './audit-batch';
import { newestFirstPage } from './keyset-page';

/**
 * The append-only audit log: who did what to which connection or endpoint. A change writes its
 * entry into the same unit of work (`recordAudit`, flushed or committed with the change), so an
 * entry exists if and only if the change does; a read, which changes nothing, writes its entry
 * on its own (`auditCredentialsRead`). Entries carry ids, flags and error codes — never a token,
 * secret, code or URL path (a webhook URL is recorded by its host only: paths and queries can
 * hold a token). Nothing here updates or deletes an entry; only retention removes old ones
 * (services/retention.ts).
 */

export type AuditDetail = Record<string, string | number | boolean | null>;

/** The actor of a server-API call: the API key's id (`key_…`, never the key). */
export const apiKeyActor = (apiKeyId: string): string => apiKeyId;
/** An end user: in the Connect UI, or consenting at the provider (the connection is theirs). */
export const endUserActor = (externalUserId: string): string => `user:${externalUserId}`;
/** Background work nobody asked for at that moment (scheduled refresh, retention). */
export const SYSTEM_ACTOR = 'system';

export interface AuditRecord {
  action: AuditAction;
  actor: string;
  connectionId?: string | null;
  targetId?: string | null;
  providerId?: string | null;
  detail?: AuditDetail;
}

let sequence = 0;

/**
 * Random bits for entry ids, drawn from the CSPRNG 4 KiB at a time (one entry per credentials
 * read: a `randomBytes(8)` per entry was ~2.5% of that call's CPU, issue 13) — what Node does for
 * `crypto.randomUUID` (https://nodejs.org/api/crypto.html#cryptorandomuuidoptions).
 */
const entropy = Buffer.alloc(4096);
let entropyAt = entropy.length;
function random64(): bigint {
  if (entropyAt >= entropy.length) {
    randomFillSync(entropy);
    entropyAt = 0;
  }
  const value = entropy.readBigUInt64BE(entropyAt);
  entropyAt += 8;
  return value;
}

/**
 * Entry ids sort in the order they were made (time, then a per-process counter, then random
 * bits), so entries of one transaction, which share a timestamp, list in the order written.
 * Lowercase letters and digits only: every collation (PostgreSQL's too) orders them the same.
 */
export function auditId(at: Date): string {
  sequence = (sequence + 1) % 36 ** 4;
  const random = random64().toString(36);
  return `aud_${at.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${random.padStart(13, '0')}`;
}

/** An entry as inserted. */
export type AuditRow = ReturnType<typeof row>;

function row(deps: Pick<CoreDeps, 'clock'>, r: AuditRecord) {
  const createdAt = deps.clock.now();
  return {
    id: auditId(createdAt),
    actor: r.actor,
    action: r.action,
    connectionId: r.connectionId ?? null,
    targetId: r.targetId ?? null,
    providerId: r.providerId ?? null,
    detail: r.detail ?? {},
    createdAt,
  };
}

/** Adds an entry to the caller's unit of work: it is written with the change, or not at all. */
export function recordAudit(em: Em, deps: Pick<CoreDeps, 'clock'>, r: AuditRecord): void {
  em.create(AuditEntry, row(deps, r));
}

type AuditedConnection = { id: string; providerId: string; externalUserId: string };

/** An entry about a connection; by default its end user did it. */
export function recordConnectionAudit(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  action: AuditAction,
  connection: AuditedConnection,
  actor: string = endUserActor(connection.externalUserId),
  detail?: AuditDetail,
): void {
  recordAudit(em, deps, {
    action,
    actor,
    connectionId: connection.id,
    providerId: connection.providerId,
    ...(detail ? { detail } : {}),
  });
}

/** `connection.revoked` (when the grant was ended at the provider) and `connection.deleted`. */
export function recordConnectionRemoval(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  connection: AuditedConnection,
  revokedAtProvider: boolean,
  actor: string = endUserActor(connection.externalUserId),
): void {
  const about = { actor, connectionId: connection.id, providerId: connection.providerId };
  if (revokedAtProvider) recordAudit(em, deps, { ...about, action: 'connection.revoked' });
  recordAudit(em, deps, { ...about, action: 'connection.deleted', detail: { revokedAtProvider } });
}

/** An entry about a webhook endpoint; its URL by host only (a path or query can hold a token). */
export function endpointAudit(
  action: 'webhook_endpoint.created' | 'webhook_endpoint.deleted',
  endpointId: string,
  actor: string,
  url?: URL,
): AuditRecord {
  return { action, actor, targetId: endpointId, detail: url ? { host: url.host } : {} };
}

/** Writes an entry at once (for reads: there is no change to share a transaction with). */
export async function writeAudit(em: Em, deps: Pick<CoreDeps, 'clock'>, r: AuditRecord) {
  await em.insert(AuditEntry, row(deps, r));
}

/**
 * Runs a credentials read and records it: who read which connection's credentials, and whether
 * they were refreshed for it. The entry is written before the credentials are returned, so none
 * leave without their entry (if the write fails, the call fails); concurrent reads share one
 * INSERT (group commit, services/audit-batch.ts), each still waiting for its own. A refused read hands nothing
 * out and, like every refused call, changes nothing: no entry (a connection that stopped working
 * has its own `connection.needs_reauth` entry).
 */
export async function auditCredentialsRead<T extends { refreshed: boolean; providerId: string }>(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  who: { actor: string; connectionId: string },
  read: () => Promise<T>,
): Promise<T> {
  const result = await read();
  await insertAuditGrouped(
    em,
    row(deps, {
      action: 'credentials.read',
      actor: who.actor,
      connectionId: who.connectionId,
      providerId: result.providerId,
      detail: { refreshed: result.refreshed },
    }),
  );
  return result;
}

function toDto(e: AuditEntry): AuditEntryDto {
  return {
    id: e.id,
    at: e.createdAt.toISOString(),
    actor: e.actor,
    action: AuditActionSchema.parse(e.action),
    connectionId: e.connectionId ?? null,
    targetId: e.targetId ?? null,
    providerId: e.providerId ?? null,
    detail: e.detail,
  };
}

/** Newest first, keyset-paginated on (createdAt, id) like `server.connections.list`. */
export function listAuditLog(
  em: Em,
  deps: Pick<CoreDeps, 'keyring'>,
  input: ListAuditLogInput,
): Promise<ListAuditLogOutput> {
  return newestFirstPage(
    em,
    AuditEntry,
    {
      ...(input.connectionId ? { connectionId: input.connectionId } : {}),
      ...(input.actor ? { actor: input.actor } : {}),
      ...(input.action ? { action: input.action } : {}),
    },
    {
      keyring: deps.keyring,
      scope: 'server.auditLog.list',
      isId: (id) => AUDIT_ID.test(id),
      limit: input.limit ?? 100,
      cursor: input.cursor,
      toDto,
    },
  );
}

const AUDIT_ID = /^aud_[0-9a-z]{26}$/;
