import type { Em } from '@plugboard/db';
import type { CoreDeps } from '../../deps';
import { RefreshScheduler, type RefreshSchedulerOptions } from './scheduler';

export * from './scheduler';
export { findDue, claimDue, type DueConnection } from './due';

/**
 * One pass of the background refresh, awaited: refreshes every connection due now through the
 * scheduler's bounded pool and returns what happened (`failed` counts attempts put back with a
 * back-off and connections that now need reconnecting). The server runs the scheduler itself
 * (apps/server/src/jobs); this is for scripts and tests.
 */
export async function refreshExpiringConnections(
  em: Em,
  deps: CoreDeps,
  opts: Partial<RefreshSchedulerOptions> = {},
): Promise<{ refreshed: number; failed: number }> {
  const scheduler = new RefreshScheduler(() => em.fork(), deps, opts);
  const stats = await scheduler.drain();
  return { refreshed: stats.refreshed, failed: stats.retried + stats.ended };
}
export * from './health-check';
