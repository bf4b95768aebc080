import { PlugboardError, type CredentialsDto } from '@plugboard/contracts';
import { Connection, type Em } from '@plugboard/db';
import {
  bindCredentials,
  getConnectableProvider,
  type BoundCredentials,
  type Credentials,
} from '@plugboard/providers';
import type { CoreDeps } from '../deps';
import { elapsedMs, telemetryOf } from '../telemetry';
import { modeContext } from './connections';
import { openStoredCredentials, sealCredentials } from './credentials';
import { recordConnectionAudit, SYSTEM_ACTOR } from './audit';
import { dateOf, readRow } from './raw-rows';
import { connectionEventData, enqueueEvent } from './webhooks';

/** Refresh this long before the access token expires, so a backend never gets a dying token. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** How long one process may hold the refresh lease (longer than a provider call can take). */
const LEASE_MS = 60 * 1000;
/** How long a caller waits for another process's refresh before giving up. */
const WAIT_LIMIT_MS = 20 * 1000;
const POLL_MS = 50;
/**
 * A forced refresh this soon after a completed one returns that result instead: when a token
 * stops working, many workers tend to force a refresh at once, and one refresh serves them all.
 */
const FORCE_COALESCE_MS = 10 * 1000;

/**
 * Returns a connection's credentials, refreshing them first when they are due (or when asked).
 * Two layers keep a rotating refresh token from being used twice, which providers treat as
 * theft: concurrent calls in one process share one refresh (single-flight), and across
 * processes a lease row-lock taken by compare-and-swap lets only one process call the provider
 * while the others wait for its result.
 */
export async function getCredentials(
  em: Em,
  deps: CoreDeps,
  args: {
    connectionId: string;
    forceRefresh?: boolean | undefined;
    /** Treat the token as due this long before it expires (background refresh uses more). */
    marginMs?: number;
  },
): Promise<CredentialsDto> {
  const row = await readUsable(em, args.connectionId);
  const tokens = openBound(deps, row);
  const margin = args.marginMs ?? REFRESH_MARGIN_MS;
  if (!isDue(tokens, deps, margin) && (!args.forceRefresh || justRefreshed(row, deps))) {
    return toDto(row, tokens, false);
  }
  if (!tokens.refreshable()) {
    // Nothing to refresh with: credentials that have not expired are still the best answer.
    const expiresAt = tokens.expiresAt();
    if (expiresAt && expiresAt.getTime() <= deps.clock.now().getTime()) {
      await markNeedsReauth(em, deps, row.id, 'access token expired and no refresh token');
      throw new PlugboardError('CONNECTION_NEEDS_REAUTH');
    }
    return toDto(row, tokens, false);
  }
  const inflight = deps.refreshes.get(row.id) as Promise<CredentialsDto> | undefined;
  if (inflight) return { ...(await inflight), refreshed: false };
  const flight = refreshWithLease(em, deps, row.id, row.version).finally(() =>
    deps.refreshes.delete(row.id),
  );
  deps.refreshes.set(row.id, flight);
  return flight;
}

async function refreshWithLease(
  em: Em,
  deps: CoreDeps,
  connectionId: string,
  seenVersion: number,
): Promise<CredentialsDto> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const fork = em.fork();
    const row = await findUsable(fork, connectionId);
    const tokens = openBound(deps, row);
    // Another process refreshed since this call looked: its result is what was asked for.
    if (row.version > seenVersion || justRefreshed(row, deps)) return toDto(row, tokens, false);
    const now = deps.clock.now();
    const leased = await fork.nativeUpdate(
      Connection,
      {
        id: row.id,
        version: row.version,
        $or: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { $lte: now } }],
      },
      { refreshLeaseUntil: new Date(now.getTime() + LEASE_MS) },
    );
    if (leased === 1) {
      return reportRefresh(deps, row.providerId, () =>
        refreshHoldingLease(fork, deps, row, tokens),
      );
    }
    if (Date.now() > deadline) {
      throw new PlugboardError(
        'PROVIDER_UNAVAILABLE',
        'A refresh of these credentials is taking too long. Try again shortly.',
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function refreshHoldingLease(
  em: Em,
  deps: CoreDeps,
  row: Connection,
  tokens: BoundCredentials,
): Promise<CredentialsDto> {
  let fresh: BoundCredentials;
  try {
    const entry = getConnectableProvider(row.providerId);
    fresh = bindCredentials(
      deps.modes,
      await tokens.refresh(entry, await modeContext(em, deps, row)),
    );
  } catch (err) {
    if (err instanceof PlugboardError && err.code === 'GRANT_INVALID') {
      await markNeedsReauth(em, deps, row.id, 'refresh token rejected by the provider');
      throw new PlugboardError('CONNECTION_NEEDS_REAUTH', undefined, { cause: err });
    }
    await em.nativeUpdate(Connection, { id: row.id }, { refreshLeaseUntil: null });
    throw err;
  }
  const now = deps.clock.now();
  const written = await em.nativeUpdate(
    Connection,
    { id: row.id, version: row.version },
    {
      credentialsEnc: sealCredentials(deps.keyring, row.id, fresh.credentials),
      accessTokenExpiresAt: fresh.expiresAt(),
      scopes: fresh.scopes(),
      version: row.version + 1,
      refreshLeaseUntil: null,
      lastRefreshedAt: now,
      updatedAt: now,
    },
  );
  if (written !== 1) {
    // Only possible if the lease expired mid-call and another process refreshed too.
    deps.logger.error(
      { connectionId: row.id },
      'refreshed credentials could not be stored (version moved)',
    );
    throw new PlugboardError('INTERNAL');
  }
  deps.logger.info(
    { connectionId: row.id, providerId: row.providerId, version: row.version + 1 },
    'credentials refreshed',
  );
  return toDto({ ...row, version: row.version + 1 } as Connection, fresh, true);
}

/** Reports one refresh at the provider to telemetry, by how it ended. */
async function reportRefresh<T>(deps: CoreDeps, providerId: string, run: () => Promise<T>) {
  const startedAt = performance.now();
  try {
    const result = await run();
    telemetryOf(deps).refreshFinished({
      providerId,
      outcome: 'refreshed',
      durationMs: elapsedMs(startedAt),
    });
    return result;
  } catch (err) {
    const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
    telemetryOf(deps).refreshFinished({
      providerId,
      outcome:
        code === 'CONNECTION_NEEDS_REAUTH'
          ? 'needs_reauth'
          : code === 'PROVIDER_UNAVAILABLE'
            ? 'provider_unavailable'
            : 'failed',
      durationMs: elapsedMs(startedAt),
    });
    throw err;
  }
}

/** What a credentials read needs of its connection (`readUsable`, or the entity). */
type CredentialsRow = Pick<
  Connection,
  'id' | 'providerId' | 'status' | 'credentialsEnc' | 'version' | 'lastRefreshedAt'
>;

/**
 * The hot path's read (every `server.connections.credentials` call): one select by primary key,
 * no entity, no identity map, no transaction (services/raw-rows.ts). A refresh reads the entity
 * again under its lease (`refreshWithLease`).
 */
async function readUsable(em: Em, connectionId: string): Promise<CredentialsRow> {
  const row = await readRow(
    em,
    'select id, provider_id, status, credentials_enc, version, last_refreshed_at ' +
      'from connections where id = ?',
    [connectionId],
  );
  if (!row) throw new PlugboardError('NOT_FOUND', 'That connection does not exist or was removed.');
  if (row.status !== 'active') throw new PlugboardError('CONNECTION_NEEDS_REAUTH');
  return {
    id: String(row.id),
    providerId: String(row.provider_id),
    status: 'active',
    credentialsEnc: String(row.credentials_enc),
    version: Number(row.version),
    lastRefreshedAt: dateOf(row.last_refreshed_at),
  };
}

async function findUsable(em: Em, connectionId: string): Promise<Connection> {
  const row = await em.findOne(Connection, { id: connectionId }, { refresh: true });
  if (!row) throw new PlugboardError('NOT_FOUND', 'That connection does not exist or was removed.');
  if (row.status !== 'active') throw new PlugboardError('CONNECTION_NEEDS_REAUTH');
  return row;
}

/** Marks a connection `needs_reauth`, with its webhook and audit entry, in one transaction. */
export async function markNeedsReauth(
  em: Em,
  deps: CoreDeps,
  connectionId: string,
  reason: string,
) {
  await em.transactional(async (tx) => {
    const row = await tx.findOne(Connection, { id: connectionId });
    if (!row) return;
    row.status = 'needs_reauth';
    row.refreshLeaseUntil = null;
    row.updatedAt = deps.clock.now();
    await enqueueEvent(tx, deps, 'connection.refresh_failed', connectionEventData(row));
    recordConnectionAudit(tx, deps, 'connection.needs_reauth', row, SYSTEM_ACTOR, { reason });
  });
  deps.logger.warn({ connectionId, reason }, 'connection needs to be connected again');
}

function justRefreshed(row: CredentialsRow, deps: CoreDeps): boolean {
  return (
    row.lastRefreshedAt != null &&
    deps.clock.now().getTime() - row.lastRefreshedAt.getTime() < FORCE_COALESCE_MS
  );
}

function isDue(tokens: BoundCredentials, deps: CoreDeps, marginMs: number): boolean {
  const expiresAt = tokens.expiresAt();
  return expiresAt !== null && expiresAt.getTime() - deps.clock.now().getTime() < marginMs;
}

function openBound(deps: CoreDeps, row: CredentialsRow): BoundCredentials {
  const credentials: Credentials = openStoredCredentials(deps.keyring, row.id, row.credentialsEnc);
  return bindCredentials(deps.modes, credentials);
}

function toDto(row: CredentialsRow, tokens: BoundCredentials, refreshed: boolean): CredentialsDto {
  return {
    ...tokens.toDto(getConnectableProvider(row.providerId)),
    connectionId: row.id as CredentialsDto['connectionId'],
    providerId: row.providerId as CredentialsDto['providerId'],
    refreshed,
  } as CredentialsDto;
}
