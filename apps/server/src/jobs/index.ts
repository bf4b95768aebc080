import {
  purgeExpired,
  WebhookDispatcher,
  RefreshScheduler,
  checkNonExpiringTokens,
  type CoreDeps,
  type Logger,
} from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import type { ServerEnv } from '../env';
import { startLoop, type Loop } from './loop';

export { startLoop, type Loop, type LoopOptions } from './loop';

const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;
const HEALTH_CHECK_INTERVAL_MS = 60 * 1000;

export interface Jobs {
  /** The webhook outbox loop, or null when WEBHOOK_POLL_MS=0 turned it off. */
  webhooks: Loop | null;
  /** What the webhook loop runs: its pool, limits and per-endpoint breakers. */
  dispatcher: WebhookDispatcher | null;
  /** The background refresh: its pool, per-provider limits, pauses and breakers. */
  refresh: RefreshScheduler;
  /** Stops every loop; resolves once the ticks that were running have finished. */
  stop(): Promise<void>;
}

/**
 * The server's background work. Every loop runs on `startLoop`, so no tick overlaps the previous
 * one, a failing tick is logged and the loop goes on, and closing waits for running ticks (the
 * database is closed after the server, so nothing runs against a closed connection).
 */
export function startJobs(opts: {
  env: ServerEnv;
  orm: Orm;
  deps: CoreDeps;
  logger: Logger;
}): Jobs {
  const { env, orm, deps, logger } = opts;
  const loops: Loop[] = [];

  // Retention, every 10 minutes: expired sessions and connect tokens, and attempts, Telegram
  // flows, finished webhook deliveries and audit entries past their RETENTION_* window, in
  // bounded batches (packages/core/src/services/retention.ts).
  loops.push(
    startLoop({
      name: 'housekeeping',
      intervalMs: HOUSEKEEPING_INTERVAL_MS,
      logger,
      tick: async () => {
        const n = await purgeExpired(orm.em.fork(), deps);
        if (Object.values(n).some((count) => count > 0)) logger.info(n, 'purged expired rows');
      },
    }),
  );

  // Tokens that expire soon are refreshed before anyone asks: a bounded pool per instance, each
  // row claimed before it starts so instances share the work (packages/core/src/services/refresh).
  // Each tick only starts refreshes; every one that settles wakes the loop to refill its slot.
  let refreshLoop: Loop | null = null;
  const refresh = new RefreshScheduler(
    () => orm.em.fork(),
    deps,
    {},
    () => refreshLoop?.wake(),
  );
  // REFRESH_POLL_MS: how often it looks for newly due tokens when nothing woke it (one index range).
  if (env.refreshPollMs > 0) {
    refreshLoop = startLoop({
      name: 'background refresh',
      intervalMs: env.refreshPollMs,
      logger,
      tick: () => refresh.dispatch(),
    });
    loops.push(refreshLoop);
  }

  // Tokens that never expire are checked at the provider about once a day each, spread over the
  // day, 100 a minute at most per instance (packages/core/src/services/refresh/health-check.ts).
  if (env.refreshPollMs > 0) {
    loops.push(
      startLoop({
        name: 'token health check',
        intervalMs: HEALTH_CHECK_INTERVAL_MS,
        logger,
        tick: async () => {
          const n = await checkNonExpiringTokens(orm.em.fork(), deps);
          if (n.gone > 0) logger.info(n, 'token health check');
        },
      }),
    );
  }

  // The webhook outbox is drained by every instance; leases keep each attempt single.
  // Each tick only starts attempts (a bounded pool, see WebhookDispatcher); every attempt that
  // settles wakes the loop, so a freed slot is refilled at once instead of after the interval.
  let webhooks: Loop | null = null;
  let dispatcher: WebhookDispatcher | null = null;
  if (env.webhookPollMs > 0) {
    const d = new WebhookDispatcher(
      () => orm.em.fork(),
      deps,
      {},
      () => webhooks?.wake(),
    );
    dispatcher = d;
    webhooks = startLoop({
      name: 'webhook delivery loop',
      intervalMs: env.webhookPollMs,
      logger,
      tick: () => d.dispatch(),
    });
    loops.push(webhooks);
  }

  return {
    webhooks,
    dispatcher,
    refresh,
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
      await refresh.close();
      // After the loop: nothing new starts, attempts in flight finish (or give their claim back).
      await dispatcher?.close();
    },
  };
}
