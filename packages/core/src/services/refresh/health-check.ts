import { PlugboardError } from '@plugboard/contracts';
import { Connection, type Em } from '@plugboard/db';
import { bindCredentials, getConnectableProvider, ProviderHttp } from '@plugboard/providers';
import type { CoreDeps } from '../../deps';
import { recordConnectionAudit, SYSTEM_ACTOR } from '../audit';
import { modeContext } from '../connections';
import { openStoredCredentials } from '../credentials';
import { connectionEventData, enqueueEvent } from '../webhooks';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HealthCheckOptions {
  /** Connections checked per run at most (the loop runs again soon when a run was full). */
  batch: number;
  /** Identity calls in flight at once. */
  concurrency: number;
  /** Time between two checks of one connection. */
  intervalMs: number;
  /** Timeout of one identity call. */
  timeoutMs: number;
}

export const DEFAULT_HEALTH_CHECK: HealthCheckOptions = {
  batch: 100,
  concurrency: 4,
  intervalMs: DAY_MS,
  timeoutMs: 10_000,
};

export interface HealthCheckResult {
  /** Newly seen connections given a check time somewhere in the next interval. */
  scheduled: number;
  checked: number;
  /** The provider answered 401 to the identity call: marked needs_reauth. */
  gone: number;
  /** No answer, 5xx, 429 or another error: left active, checked again next interval. */
  inconclusive: number;
}

/**
 * Health of tokens that never expire (Notion, Slack without rotation, GitHub OAuth Apps, Shopify
 * offline tokens…): no refresh ever runs for them, so a user who revokes access at the provider
 * would leave the connection `active` forever. Each such connection gets a check time spread at
 * random over the next day (`health_check_due_at`, indexed with the status) and is checked at
 * most once per `intervalMs` with the provider's identity call (the one a connect makes). Only a
 * definitive 401 marks it `needs_reauth` (audit entry and `connection.refresh_failed` webhook,
 * as a rejected refresh does); a timeout, 5xx, 429 or any other answer changes nothing. Each row
 * is claimed by compare-and-swap on its check time, so instances never check one twice.
 */
export async function checkNonExpiringTokens(
  em: Em,
  deps: CoreDeps,
  opts: Partial<HealthCheckOptions> = {},
): Promise<HealthCheckResult> {
  const o = { ...DEFAULT_HEALTH_CHECK, ...opts };
  const now = deps.clock.now();
  const result: HealthCheckResult = { scheduled: 0, checked: 0, gone: 0, inconclusive: 0 };

  // 1. Spread: connections not yet scheduled get a random time within the next interval.
  const fresh = await em.find(
    Connection,
    { status: 'active', healthCheckDueAt: null, accessTokenExpiresAt: null },
    { fields: ['id'], limit: 500, disableIdentityMap: true },
  );
  for (const { id } of fresh) {
    const at = new Date(now.getTime() + Math.floor(Math.random() * o.intervalMs));
    result.scheduled += await em.nativeUpdate(
      Connection,
      { id, healthCheckDueAt: null },
      { healthCheckDueAt: at },
    );
  }

  // 2. Due ones, claimed by moving their check time one interval on (before the call).
  const due = await em.find(
    Connection,
    { status: 'active', healthCheckDueAt: { $lte: now }, accessTokenExpiresAt: null },
    {
      fields: ['id', 'healthCheckDueAt'],
      orderBy: { healthCheckDueAt: 'asc' },
      limit: o.batch,
      disableIdentityMap: true,
    },
  );
  const claimed: string[] = [];
  for (const row of due) {
    const won = await em.nativeUpdate(
      Connection,
      { id: row.id, healthCheckDueAt: row.healthCheckDueAt },
      { healthCheckDueAt: new Date(now.getTime() + o.intervalMs) },
    );
    if (won === 1) claimed.push(row.id);
  }

  // 3. The identity calls, a few at a time.
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const id = claimed[next++]!;
      const outcome = await checkOne(em.fork(), deps, id, o.timeoutMs);
      if (outcome === 'skipped') continue;
      result.checked += 1;
      if (outcome === 'gone') result.gone += 1;
      else if (outcome === 'inconclusive') result.inconclusive += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, claimed.length) }, worker));
  return result;
}

async function checkOne(
  em: Em,
  deps: CoreDeps,
  id: string,
  timeoutMs: number,
): Promise<'ok' | 'gone' | 'inconclusive' | 'skipped'> {
  const row = await em.findOne(Connection, { id });
  if (!row || row.status !== 'active' || row.accessTokenExpiresAt !== null) return 'skipped';
  const credentials = openStoredCredentials(deps.keyring, row.id, row.credentialsEnc);
  // Only a mode with a daily check (the identity call), for a provider of that mode.
  const healthCheck = bindCredentials(deps.modes, credentials).healthCheck;
  if (!healthCheck) return 'skipped';
  const entry = getConnectableProvider(row.providerId);
  if (entry.authMode !== credentials.type) return 'skipped';
  // The status of the identity call's last answer, whatever the provider's code makes of it.
  let lastStatus: number | null = null;
  const http = new ProviderHttp({
    timeoutMs,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      lastStatus = res.status;
      return res;
    },
  });
  const ctx = await modeContext(em, deps, row);
  try {
    await healthCheck(entry, { ...ctx, http });
    return 'ok';
  } catch (err) {
    const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
    if (lastStatus === 401 && code !== 'PROVIDER_UNAVAILABLE') {
      await markGone(em, deps, row.id);
      return 'gone';
    }
    deps.logger.warn(
      { connectionId: row.id, providerId: row.providerId, errorCode: code, status: lastStatus },
      'token health check inconclusive',
    );
    return 'inconclusive';
  }
}

async function markGone(em: Em, deps: CoreDeps, id: string): Promise<void> {
  await em.transactional(async (tx) => {
    const row = await tx.findOne(Connection, { id, status: 'active' });
    if (!row) return;
    row.status = 'needs_reauth';
    row.updatedAt = deps.clock.now();
    await enqueueEvent(tx, deps, 'connection.refresh_failed', connectionEventData(row));
    recordConnectionAudit(tx, deps, 'connection.needs_reauth', row, SYSTEM_ACTOR, {
      reason: 'the provider no longer accepts the access token (daily health check)',
    });
  });
  deps.logger.warn({ connectionId: id }, 'connection needs to be connected again');
}
