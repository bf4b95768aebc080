import {
  ConnectionIdSchema,
  ConnectionMetadataSchema,
  PlugboardError,
  type ConnectionDto,
  type DisconnectOutput,
  type ListConnectionsInput,
  type ListConnectionsOutput,
  type ServerConnectionDto,
  type ProviderId,
} from '@plugboard/contracts';
import { Connection, type Em } from '@plugboard/db';
import {
  bindCredentials,
  findCatalogEntry,
  type Account,
  type Credentials,
} from '@plugboard/providers';
import { raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import { newId } from '../crypto';
import type { CoreDeps } from '../deps';
import { openStoredCredentials, sealCredentials } from './credentials';
import { recordConnectionAudit, recordConnectionRemoval } from './audit';
import { integrationConfig } from './integrations';
import { newestFirstPage } from './keyset-page';
import { dateOf, readRow } from './raw-rows';
import { connectionEventData, enqueueEvent } from './webhooks';

export function toConnectionDto(c: StoredConnection): ConnectionDto {
  return {
    id: c.id as ConnectionDto['id'],
    providerId: c.providerId as ProviderId,
    providerName: findCatalogEntry(c.providerId)?.name ?? c.providerId,
    accountId: c.accountId,
    label: c.label,
    status: c.status,
    metadata: ConnectionMetadataSchema.parse(c.metadata),
    scopes: c.scopes,
    connectedAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export async function listConnections(em: Em, externalUserId: string): Promise<ConnectionDto[]> {
  const rows = await em.find(
    Connection,
    { externalUserId, status: { $ne: 'revoked' } },
    { orderBy: { createdAt: 'desc' } },
  );
  return rows.map(toConnectionDto);
}

/** What a connection write returns: the columns its callers and DTOs read. */
export type StoredConnection = Pick<
  Connection,
  | 'id'
  | 'providerId'
  | 'externalUserId'
  | 'accountId'
  | 'label'
  | 'status'
  | 'metadata'
  | 'scopes'
  | 'createdAt'
  | 'updatedAt'
>;

/**
 * Stores a connection, or updates the existing one for the same (provider, end user, account):
 * connecting an account again refreshes its credentials instead of duplicating it. The change,
 * its outbox event, its audit entry and the caller's `inTransaction` writes (an OAuth attempt's
 * outcome) commit in one transaction. The existing row is found by a plain select and updated by
 * one statement (`version` bumped in SQL, so a refresh's compare-and-swap on it sees the change).
 */
export async function upsertConnection(
  em: Em,
  deps: CoreDeps,
  args: {
    providerId: ProviderId;
    externalUserId: string;
    account: Account;
    credentials: Credentials;
    inTransaction?: (tx: Em, connectionId: string) => Promise<unknown>;
  },
): Promise<StoredConnection> {
  const bound = bindCredentials(deps.modes, args.credentials);
  const write = async (): Promise<StoredConnection> => {
    const now = deps.clock.now();
    const existing = await readRow(
      em,
      'select id, created_at from connections ' +
        'where provider_id = ? and external_user_id = ? and account_id = ?',
      [args.providerId, args.externalUserId, args.account.accountId],
    );
    const id = existing ? String(existing.id) : newId('conn_');
    const stored: StoredConnection = {
      id,
      providerId: args.providerId,
      externalUserId: args.externalUserId,
      accountId: args.account.accountId,
      label: args.account.label,
      status: 'active',
      metadata: args.account.metadata,
      scopes: bound.scopes(),
      createdAt: existing ? dateOf(existing.created_at)! : now,
      updatedAt: now,
    };
    const changed = {
      label: stored.label,
      metadata: stored.metadata,
      scopes: stored.scopes,
      status: stored.status,
      credentialsEnc: sealCredentials(deps.keyring, id, args.credentials),
      accessTokenExpiresAt: bound.expiresAt(),
      updatedAt: now,
    };
    await em.fork().transactional(async (tx) => {
      if (existing) {
        await tx.nativeUpdate(Connection, { id }, { ...changed, version: raw('version + 1') });
        await enqueueEvent(tx, deps, 'connection.updated', {
          ...connectionEventData(stored),
          reason: 'reauthorized',
        });
        recordConnectionAudit(tx, deps, 'connection.reauthorized', stored);
      } else {
        tx.create(Connection, { ...stored, ...changed, version: 1 });
        await enqueueEvent(tx, deps, 'connection.created', connectionEventData(stored));
        recordConnectionAudit(tx, deps, 'connection.created', stored);
      }
      await args.inTransaction?.(tx, id);
      // transactional() flushes the created rows before it commits.
    });
    return stored;
  };
  try {
    return await write();
  } catch (err) {
    // Two callbacks for the same account raced; the loser updates the winner's row.
    if (err instanceof UniqueConstraintViolationException) return write();
    throw err;
  }
}

/**
 * Removes a connection. The grant is revoked at the provider first where the provider can; if
 * the provider cannot be reached the connection is still removed here and the caller is told.
 */
export async function disconnectConnection(
  em: Em,
  deps: CoreDeps,
  /** Without `externalUserId` (server API) any connection may be removed; `actor`: audit log. */
  args: { externalUserId?: string; connectionId: string; actor?: string },
): Promise<DisconnectOutput> {
  const row = await em.findOne(Connection, {
    id: args.connectionId,
    ...(args.externalUserId === undefined ? {} : { externalUserId: args.externalUserId }),
  });
  if (!row)
    throw new PlugboardError('NOT_FOUND', 'That connection does not exist or was already removed.');
  let revokedAtProvider = false;
  try {
    revokedAtProvider = await revokeAtProvider(em, deps, row);
  } catch (err) {
    deps.logger.warn(
      {
        connectionId: row.id,
        providerId: row.providerId,
        reason: err instanceof PlugboardError ? err.code : 'error',
      },
      'revoke at provider failed; removing the connection anyway',
    );
  }
  await em.transactional(async (tx) => {
    await tx.nativeDelete(Connection, { id: row.id });
    await enqueueEvent(tx, deps, 'connection.deleted', {
      ...connectionEventData(row),
      status: 'deleted',
    });
    recordConnectionRemoval(tx, deps, row, revokedAtProvider, args.actor);
  });
  deps.logger.info(
    { connectionId: row.id, providerId: row.providerId, revokedAtProvider },
    'connection removed',
  );
  return { connectionId: row.id as DisconnectOutput['connectionId'], revokedAtProvider };
}

/** Ends the grant at the provider, the connection's mode's way; false where nothing was sent. */
async function revokeAtProvider(em: Em, deps: CoreDeps, row: Connection): Promise<boolean> {
  const entry = findCatalogEntry(row.providerId);
  if (!entry || 'comingSoon' in entry) return false;
  const credentials = openStoredCredentials(deps.keyring, row.id, row.credentialsEnc);
  return bindCredentials(deps.modes, credentials).revoke(entry, await modeContext(em, deps, row));
}

/** What a mode needs to call a stored connection's provider. */
export async function modeContext(
  em: Em,
  deps: CoreDeps,
  row: Pick<Connection, 'providerId' | 'metadata'>,
) {
  return {
    http: deps.http,
    config: await integrationConfig(em, deps, row.providerId),
    metadata: ConnectionMetadataSchema.parse(row.metadata),
    now: deps.clock.now(),
  };
}

export function toServerConnectionDto(c: Connection): ServerConnectionDto {
  return { ...toConnectionDto(c), externalUserId: c.externalUserId };
}

export async function getServerConnection(
  em: Em,
  connectionId: string,
): Promise<ServerConnectionDto> {
  const row = await em.findOne(Connection, { id: connectionId });
  if (!row) throw new PlugboardError('NOT_FOUND', 'That connection does not exist or was removed.');
  return toServerConnectionDto(row);
}

/** Newest first, keyset-paginated on (createdAt, id) so pages stay stable while rows are added. */
export function listConnectionsPage(
  em: Em,
  deps: Pick<CoreDeps, 'keyring'>,
  input: ListConnectionsInput,
): Promise<ListConnectionsOutput> {
  return newestFirstPage(
    em,
    Connection,
    {
      ...(input.externalUserId ? { externalUserId: input.externalUserId } : {}),
      ...(input.providerId ? { providerId: input.providerId } : {}),
    },
    {
      keyring: deps.keyring,
      scope: 'server.connections.list',
      isId: (id) => ConnectionIdSchema.safeParse(id).success,
      limit: input.limit ?? 100,
      cursor: input.cursor,
      toDto: toServerConnectionDto,
    },
  );
}
