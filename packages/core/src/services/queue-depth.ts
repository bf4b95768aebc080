import type { Em } from '@plugboard/db';
import { PROACTIVE_WINDOW_MS } from './refresh/scheduler';

/** Counts stop here: a gauge read on every scrape must cost the same with a huge backlog. */
export const QUEUE_COUNT_CAP = 10_000;

export interface RefreshQueueDepth {
  /** Active connections the background refresh will pick up: expiring within its window. */
  due: number;
  /** Active connections whose access token has already expired (the refresh fell behind). */
  overdue: number;
}

/**
 * How far the background refresh (services/refresh/scheduler.ts) is behind, in one bounded query:
 * at most QUEUE_COUNT_CAP rows of the soonest-expiring are looked at (each count is capped).
 */
export async function refreshQueueDepth(em: Em, now: Date): Promise<RefreshQueueDepth> {
  const horizon = new Date(now.getTime() + PROACTIVE_WINDOW_MS);
  const rows = await em
    .getConnection()
    .execute<{ total: unknown; overdue: unknown }[]>(
      'select count(*) as total, coalesce(sum(case when expires_at <= ? then 1 else 0 end), 0) as overdue ' +
        'from (select access_token_expires_at as expires_at from connections ' +
        'where status = ? and access_token_expires_at is not null and access_token_expires_at <= ? ' +
        'order by access_token_expires_at limit ?) due',
      [now, 'active', horizon, QUEUE_COUNT_CAP],
    );
  const total = Number(rows[0]?.total ?? 0);
  const overdue = Number(rows[0]?.overdue ?? 0);
  return { due: total - overdue, overdue };
}

export interface WebhookBacklog {
  /** Pending deliveries whose attempt is due now (capped at QUEUE_COUNT_CAP). */
  due: number;
  /** How long the longest-waiting due delivery has waited, in ms (0 when none). */
  oldestDueMs: number;
}

/** The webhook outbox's backlog, in one bounded query over the (status, next_attempt_at) index. */
export async function webhookBacklog(em: Em, now: Date): Promise<WebhookBacklog> {
  const rows = await em
    .getConnection()
    .execute<{ total: unknown; oldest: unknown }[]>(
      'select count(*) as total, min(next_attempt_at) as oldest ' +
        'from (select next_attempt_at from webhook_deliveries ' +
        'where status = ? and next_attempt_at <= ? order by next_attempt_at limit ?) due',
      ['pending', now, QUEUE_COUNT_CAP],
    );
  const total = Number(rows[0]?.total ?? 0);
  const oldest = rows[0]?.oldest;
  // SQLite keeps epoch milliseconds; PostgreSQL returns a timestamp.
  const oldestAt =
    oldest === null || oldest === undefined
      ? null
      : typeof oldest === 'number'
        ? oldest
        : new Date(oldest as string | Date).getTime();
  return {
    due: total,
    oldestDueMs: oldestAt === null ? 0 : Math.max(0, now.getTime() - oldestAt),
  };
}
