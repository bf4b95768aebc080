import {
  ApiAccessToken,
  AuditEntry,
  AuthAttempt,
  ConnectToken,
  ConnectFlow,
  IdempotencyRecord,
  Session,
  WebhookDelivery,
  type Em,
} from '@plugboard/db';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreDeps } from '../deps';
import { IDEMPOTENCY_WINDOW_MS } from './idempotency';

/**
 * Retention: how long rows that are no longer needed are kept, and the purge that removes them.
 * The server sets the windows from RETENTION_* (apps/server/src/env.ts, README "Configuration").
 */
export interface RetentionSettings {
  /** Delivered and failed (dead) webhook deliveries, by age; pending ones are never purged. */
  webhookDeliveriesDays: number;
  /** OAuth attempts this long after they expired (the result page reads them meanwhile). */
  authAttemptsDays: number;
  /** Multi-step connect flows (phone code sign-ins, say) this long after they expired. */
  connectFlowsDays: number;
  /** Audit log entries, by age. */
  auditEntriesDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  webhookDeliveriesDays: 30,
  authAttemptsDays: 1,
  connectFlowsDays: 1,
  auditEntriesDays: 365,
};

/** Rows one DELETE removes at most: each statement's locks stay short on a large backlog. */
export const RETENTION_BATCH_SIZE = 500;

export interface PurgeOptions {
  batchSize?: number;
  /** Pause between two batches, so other writers (a SQLite file has one) get their turn. */
  pauseMs?: number;
  /** Batches per table in one run; what is left waits for the next run. */
  maxBatches?: number;
  /** Called after every batch (tests and metrics see the batches). */
  onBatch?: (table: PurgedTable, deleted: number) => void;
}

export type PurgedTable =
  | 'sessions'
  | 'connectTokens'
  | 'attempts'
  | 'connectFlows'
  | 'webhookDeliveries'
  | 'auditEntries'
  | 'idempotencyRecords'
  | 'apiAccessTokens';

export type PurgeCounts = Record<PurgedTable, number>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes what can no longer be used or is past its retention window: expired sessions, connect
 * tokens and API clients' access tokens (an idle client's would otherwise stay forever), attempts
 * and connect flows some time after they expired (an abandoned flow may still hold sealed state,
 * a provider session not signed in), finished webhook deliveries and audit entries by age, REST
 * idempotency records once their 24 hours are over (services/idempotency.ts).
 * Each table in batches of at most `batchSize` rows — select the ids, delete
 * those ids with the condition repeated (a row that changed meanwhile, e.g. a delivery being
 * retried, stays) — with a pause between batches. Safe to run from every instance at once.
 */
export async function purgeRetained(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  retention: RetentionSettings = DEFAULT_RETENTION,
  opts: PurgeOptions = {},
): Promise<PurgeCounts> {
  const now = deps.clock.now().getTime();
  const before = (days: number) => new Date(now - days * DAY_MS);
  const run = <T extends object>(
    table: PurgedTable,
    entity: EntityName<T>,
    where: FilterQuery<T>,
  ) => deleteInBatches(em, table, entity, where, opts);
  return {
    sessions: await run('sessions', Session, { expiresAt: { $lte: new Date(now) } }),
    connectTokens: await run('connectTokens', ConnectToken, { expiresAt: { $lte: new Date(now) } }),
    attempts: await run('attempts', AuthAttempt, {
      expiresAt: { $lte: before(retention.authAttemptsDays) },
    }),
    connectFlows: await run('connectFlows', ConnectFlow, {
      expiresAt: { $lte: before(retention.connectFlowsDays) },
    }),
    webhookDeliveries: await run('webhookDeliveries', WebhookDelivery, {
      status: { $in: ['delivered', 'failed'] },
      createdAt: { $lte: before(retention.webhookDeliveriesDays) },
    }),
    auditEntries: await run('auditEntries', AuditEntry, {
      createdAt: { $lte: before(retention.auditEntriesDays) },
    }),
    idempotencyRecords: await run('idempotencyRecords', IdempotencyRecord, {
      createdAt: { $lte: new Date(now - IDEMPOTENCY_WINDOW_MS) },
    }),
    apiAccessTokens: await run('apiAccessTokens', ApiAccessToken, {
      expiresAt: { $lte: new Date(now) },
    }),
  };
}

async function deleteInBatches<T extends object>(
  em: Em,
  table: PurgedTable,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  opts: PurgeOptions,
): Promise<number> {
  const batchSize = opts.batchSize ?? RETENTION_BATCH_SIZE;
  const maxBatches = opts.maxBatches ?? 200;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    if (batch > 0) await sleep(opts.pauseMs ?? 20);
    // A fresh fork per batch: nothing accumulates in an identity map over a long purge.
    const rows = (await em
      .fork()
      .find(entity, where, { fields: ['id'] as never, limit: batchSize })) as unknown as {
      id: string;
    }[];
    if (rows.length === 0) break;
    const n = await em.fork().nativeDelete(entity, {
      $and: [where, { id: { $in: rows.map((r) => r.id) } }],
    } as FilterQuery<T>);
    deleted += n;
    opts.onBatch?.(table, n);
    if (rows.length < batchSize) break;
  }
  return deleted;
}
