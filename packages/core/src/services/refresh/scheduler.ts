import { PlugboardError } from '@plugboard/contracts';
import type { Em } from '@plugboard/db';
import type { CoreDeps } from '../../deps';
import { getCredentials } from '../credentials-service';
import { DEFAULT_BREAKER, EndpointBreakers, type BreakerOptions } from '../webhooks/breaker';
import { claimDue, findDue, recordFailure, recordRecovered, type DueConnection } from './due';

export interface RefreshSchedulerOptions {
  /** Refreshes in flight at once in this instance, over all providers. */
  concurrency: number;
  /**
   * Refreshes in flight at once to one provider: thousands coming due together reach a
   * provider this many at a time (per instance), and a provider that hangs holds at most this
   * many of the `concurrency` slots, so the others keep theirs.
   */
  perProvider: number;
  /** Refresh-ahead window: a token is refreshed once it expires within this. */
  aheadMs: number;
  /** How long one instance's claim on a row lasts (longer than one refresh can take). */
  claimMs: number;
  /** Rows read per query while looking for work that may start. */
  pageSize: number;
  /** Back-off of a row after its n-th failure in a row: `baseBackoffMs`·2ⁿ⁻¹, at most `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Per provider: repeated unavailability opens its breaker (webhooks/breaker.ts). */
  breaker: BreakerOptions;
  /** A 429 without Retry-After pauses the provider this long. */
  defaultRetryAfterMs: number;
}

/** Refresh ahead 10 minutes: with 1-hour tokens each is refreshed once, never in its last minutes. */
export const PROACTIVE_WINDOW_MS = 10 * 60 * 1000;

export const DEFAULT_REFRESH_SCHEDULER: RefreshSchedulerOptions = {
  concurrency: 32,
  perProvider: 8,
  aheadMs: PROACTIVE_WINDOW_MS,
  // The lease wait (20 s) plus a provider call (PROVIDER_TIMEOUT_MS, at most 50 s) fit in it.
  claimMs: 2 * 60 * 1000,
  pageSize: 200,
  baseBackoffMs: 15 * 1000,
  maxBackoffMs: 5 * 60 * 1000,
  breaker: DEFAULT_BREAKER,
  defaultRetryAfterMs: 60 * 1000,
};

/** Rounds of queries one `dispatch()` makes, each excluding the providers that filled up. */
const MAX_ROUNDS = 4;

export interface RefreshStats {
  /** Refreshes this scheduler started (won the claim), since it was created. */
  started: number;
  refreshed: number;
  /** Attempts that failed and were put back with a back-off. */
  retried: number;
  /** Attempts after which the connection needs reconnecting (or was gone). */
  ended: number;
}

/**
 * The background refresh: keeps credentials fresh before anyone asks, with a bounded pool.
 * `dispatch()` starts what may start and returns; every settled refresh calls `onSettled` (the
 * server's loop dispatches again, so a freed slot is refilled at once).
 *
 * - Due: active connections whose token expires within `aheadMs`, soonest first (an index range).
 * - Shared across instances: each row is claimed by compare-and-swap right before it starts
 *   (`claimDue`), so two instances never start on the same row; the refresh itself goes through
 *   `getCredentials`, whose lease keeps the provider call single against on-demand refreshes too.
 * - Bounded: `concurrency` overall and `perProvider` per provider in this instance.
 * - Failures leave the head of the queue: the row backs off (15 s, 30 s, … 5 min, with jitter)
 *   through `refresh_not_before`; a provider answering 429 is paused for its Retry-After (and
 *   the row waits at least as long); a provider that keeps failing opens its breaker (one
 *   probe at a time until it answers again). Rows of other providers are read past them.
 */
export class RefreshScheduler {
  readonly stats: RefreshStats = { started: 0, refreshed: 0, retried: 0, ended: 0 };
  readonly breakers: EndpointBreakers;
  private readonly opts: RefreshSchedulerOptions;
  private readonly tasks = new Set<Promise<void>>();
  private readonly byProvider = new Map<string, number>();
  /** Providers that answered 429: nothing is sent to them before this time (clock ms). */
  private readonly pausedUntil = new Map<string, number>();
  private reserved = 0;
  private closed = false;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly em: () => Em,
    private readonly deps: CoreDeps,
    opts: Partial<RefreshSchedulerOptions> = {},
    private readonly onSettled: () => void = () => undefined,
  ) {
    this.opts = { ...DEFAULT_REFRESH_SCHEDULER, ...opts };
    this.breakers = new EndpointBreakers(deps.clock, this.opts.breaker);
  }

  get inFlight(): number {
    return this.tasks.size;
  }

  /** Starts the due refreshes that may start now; resolves with how many started. */
  dispatch(): Promise<number> {
    // One round at a time: concurrent rounds would only race each other for the same rows.
    const run = this.serial.then(() => this.dispatchNow());
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Runs rounds until nothing is due or may start, waiting for every refresh (tests, CLI). */
  async drain(): Promise<RefreshStats> {
    for (;;) {
      const started = await this.dispatch();
      if (started === 0 && this.tasks.size === 0) return this.stats;
      if (this.tasks.size > 0) await Promise.race(this.tasks);
    }
  }

  /** Starts nothing more; resolves once the refreshes in flight have settled. */
  async close(): Promise<void> {
    this.closed = true;
    await this.serial;
    await Promise.allSettled([...this.tasks]);
  }

  private excludedProviders(): string[] {
    const now = this.deps.clock.now().getTime();
    const out = new Set(this.breakers.blocked());
    for (const [id, until] of this.pausedUntil) {
      if (until > now) out.add(id);
      else this.pausedUntil.delete(id);
    }
    for (const [id, n] of this.byProvider) {
      if (n >= this.breakers.allowance(id, this.opts.perProvider)) out.add(id);
    }
    return [...out];
  }

  private async dispatchNow(): Promise<number> {
    let started = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.closed; round++) {
      const free = () => this.opts.concurrency - this.reserved;
      if (free() <= 0) break;
      const excluded = this.excludedProviders();
      const now = this.deps.clock.now();
      const horizon = new Date(now.getTime() + this.opts.aheadMs);
      const want = Math.min(this.opts.pageSize, 2 * free() + 8);
      const rows = await findDue(this.em(), now, horizon, want, excluded);
      if (rows.length === 0) break;
      const picked: DueConnection[] = [];
      let skipped = false;
      for (const row of rows) {
        if (free() - picked.length <= 0) break;
        const allowance = this.breakers.allowance(row.providerId, this.opts.perProvider);
        const mine = (this.byProvider.get(row.providerId) ?? 0) + count(picked, row.providerId);
        if (mine >= allowance) {
          skipped = true;
          continue;
        }
        picked.push(row);
      }
      const claimUntil = new Date(now.getTime() + jitter(this.opts.claimMs));
      const won = await claimDue(
        this.em(),
        picked.map((r) => r.id),
        now,
        claimUntil,
      );
      for (const row of picked) {
        if (!won.has(row.id)) continue;
        this.launch(row);
        started += 1;
      }
      // Everything due was in this page, or nothing more can start: no need to read on.
      if (rows.length < want || free() <= 0) break;
      // Otherwise the next round reads on: rows just claimed (here or elsewhere) and providers
      // that filled up are left out of it.
      if (!skipped && won.size === 0 && picked.length === 0) break;
    }
    return started;
  }

  private launch(row: DueConnection): void {
    this.reserved += 1;
    this.byProvider.set(row.providerId, (this.byProvider.get(row.providerId) ?? 0) + 1);
    this.breakers.started(row.providerId);
    this.stats.started += 1;
    const task = this.refreshOne(row)
      .catch((err: unknown) => {
        this.deps.logger.error(
          { connectionId: row.id, err: err instanceof Error ? err.name : 'unknown' },
          'background refresh could not record its outcome',
        );
      })
      .finally(() => {
        this.tasks.delete(task);
        this.reserved -= 1;
        const n = (this.byProvider.get(row.providerId) ?? 1) - 1;
        if (n <= 0) this.byProvider.delete(row.providerId);
        else this.byProvider.set(row.providerId, n);
        if (!this.closed) this.onSettled();
      });
    this.tasks.add(task);
  }

  private async refreshOne(row: DueConnection): Promise<void> {
    try {
      const result = await getCredentials(this.em(), this.deps, {
        connectionId: row.id,
        marginMs: this.opts.aheadMs,
      });
      this.breakers.succeeded(row.providerId);
      if (result.refreshed) this.stats.refreshed += 1;
      if (row.failures > 0) await recordRecovered(this.em(), row.id);
    } catch (err) {
      const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
      // The connection now needs reconnecting (recorded, with its webhook) or is gone.
      if (code === 'CONNECTION_NEEDS_REAUTH' || code === 'NOT_FOUND') {
        this.breakers.succeeded(row.providerId);
        this.stats.ended += 1;
        return;
      }
      const now = this.deps.clock.now().getTime();
      let waitMs = 0;
      if (code === 'PROVIDER_UNAVAILABLE') {
        const retryAfter = (err as PlugboardError).retryAfterSeconds;
        const rateLimited = retryAfter !== undefined || /rate limit/i.test((err as Error).message);
        if (rateLimited) {
          waitMs = retryAfter !== undefined ? retryAfter * 1000 : this.opts.defaultRetryAfterMs;
          this.pausedUntil.set(
            row.providerId,
            Math.max(this.pausedUntil.get(row.providerId) ?? 0, now + waitMs),
          );
          // A 429 says "slow down", not "down": the breaker stays as it is.
          this.breakers.released(row.providerId);
        } else {
          this.breakers.failed(row.providerId);
        }
      } else {
        this.breakers.released(row.providerId);
      }
      const failures = row.failures + 1;
      const backoff = Math.min(
        this.opts.baseBackoffMs * 2 ** Math.min(failures - 1, 20),
        this.opts.maxBackoffMs,
      );
      this.stats.retried += 1;
      this.deps.logger.warn(
        { connectionId: row.id, providerId: row.providerId, errorCode: code, failures },
        'background refresh failed; will retry',
      );
      await recordFailure(
        this.em(),
        row.id,
        failures,
        new Date(now + Math.max(jitter(backoff), waitMs)),
      );
    }
  }
}

function count(rows: DueConnection[], providerId: string): number {
  let n = 0;
  for (const r of rows) if (r.providerId === providerId) n += 1;
  return n;
}

/** ±20 %: rows that failed together, or were claimed together, do not come back together. */
function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
