import type { Em } from '@plugboard/db';
import type { CoreDeps } from '../deps';
import { DEFAULT_RETENTION, purgeRetained, type PurgeCounts, type PurgeOptions } from './retention';

/**
 * The housekeeping job every instance runs: expired sessions and connect tokens, and whatever is
 * past its retention window (services/retention.ts), deleted in bounded batches. Safe to run
 * from every instance at once (plain deletes by time).
 */
export async function purgeExpired(
  em: Em,
  deps: CoreDeps,
  opts: PurgeOptions = {},
): Promise<PurgeCounts> {
  return purgeRetained(em, deps, deps.settings.retention ?? DEFAULT_RETENTION, opts);
}
