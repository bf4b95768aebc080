import { Connection, type Em } from '@plugboard/db';

/** A connection the background refresh may start on. */
export interface DueConnection {
  id: string;
  providerId: string;
  /** When its access token expires; the refresh is due `aheadMs` before this. */
  expiresAt: Date;
  /** Attempts that failed in a row before this one (drives the back-off). */
  failures: number;
}

/**
 * Active connections whose access token expires before `horizon` and that nobody has claimed
 * and that are not backing off, soonest expiry first, skipping `excludedProviders` (full or
 * paused in this instance). The filter on status and expiry is a range of the index
 * `connections_status_access_token_expires_at_index`
 * (packages/db/src/migrations/sqlite/Migration20261202010000_connections_refresh_due_index.ts);
 * `refresh.test.ts` checks the plan on SQLite and PostgreSQL.
 */
export async function findDue(
  em: Em,
  now: Date,
  horizon: Date,
  limit: number,
  excludedProviders: readonly string[] = [],
): Promise<DueConnection[]> {
  const rows = await em.find(
    Connection,
    {
      status: 'active',
      accessTokenExpiresAt: { $ne: null, $lte: horizon },
      $or: [{ refreshNotBefore: null }, { refreshNotBefore: { $lte: now } }],
      ...(excludedProviders.length > 0 ? { providerId: { $nin: [...excludedProviders] } } : {}),
    },
    {
      orderBy: { accessTokenExpiresAt: 'asc' },
      limit,
      fields: ['id', 'providerId', 'accessTokenExpiresAt', 'refreshFailures'],
      disableIdentityMap: true,
    },
  );
  return rows.map((r) => ({
    id: r.id,
    providerId: r.providerId,
    expiresAt: r.accessTokenExpiresAt!,
    failures: Number(r.refreshFailures ?? 0),
  }));
}

/**
 * Claims connections for this instance's background refresh by compare-and-swap on
 * `refresh_not_before` (still active, and nobody else's claim or back-off in force), in one
 * statement. Returns the ids this call won: two instances never start on the same row. The claim
 * only keeps other instances' background refresh away; the provider call itself is still
 * guarded by the refresh lease (services/credentials-service.ts). A claim left by an instance
 * that died runs out at `claimUntil` and the row is due again.
 */
export async function claimDue(
  em: Em,
  ids: string[],
  now: Date,
  claimUntil: Date,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = (await em
    .createQueryBuilder(Connection)
    .update({ refreshNotBefore: claimUntil })
    .where({
      id: { $in: ids },
      status: 'active',
      $or: [{ refreshNotBefore: null }, { refreshNotBefore: { $lte: now } }],
    })
    .returning(['id'])
    .execute('all')) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/** After a failed attempt: the row waits until `notBefore` (its place in the queue is given up). */
export async function recordFailure(
  em: Em,
  id: string,
  failures: number,
  notBefore: Date,
): Promise<void> {
  await em.nativeUpdate(
    Connection,
    { id },
    { refreshFailures: failures, refreshNotBefore: notBefore },
  );
}

/** After a success following failures: the back-off is forgotten. */
export async function recordRecovered(em: Em, id: string): Promise<void> {
  await em.nativeUpdate(Connection, { id }, { refreshFailures: 0, refreshNotBefore: null });
}
