import { WebhookDelivery, WebhookEndpoint, type Em } from '@plugboard/db';
import { Webhook } from 'standardwebhooks';
import { open } from '../../crypto';
import type { CoreDeps } from '../../deps';
import { elapsedMs, telemetryOf } from '../../telemetry';
import { egressPolicy } from '../webhook-egress';
import { DEFAULT_BREAKER, EndpointBreakers, type BreakerOptions } from './breaker';
import { secretAad } from './endpoints';
import { postWebhook, WEBHOOK_TIMEOUT_MS } from './send';
import { DeliveryWriter } from './store';

/**
 * Retry schedule after a failed attempt (Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after
 * the last one the delivery is marked failed.
 */
const RETRY_DELAYS_S = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];
/**
 * A claim lasts for one attempt: the request's timeout plus a margin for reading the endpoint,
 * signing and recording the outcome. If the instance dies mid-attempt, another one sends the
 * message again once this has passed — at-least-once, duplicates share their `webhook-id`.
 */
export const WEBHOOK_LEASE_MS = WEBHOOK_TIMEOUT_MS + 5 * 1000;

export interface DispatcherOptions {
  /** Attempts in flight at once in this instance, over all endpoints. */
  concurrency: number;
  /**
   * Attempts in flight at once to one endpoint: a slow or dead endpoint holds at most this many
   * of the `concurrency` slots, so the others keep theirs.
   */
  perEndpoint: number;
  /** Rows read per query while looking for work that may start. */
  pageSize: number;
  breaker: BreakerOptions;
  /** How long `close()` lets running attempts finish before it aborts them. */
  closeGraceMs: number;
}

/** What the server's delivery loop runs with (see README, "Webhooks"). */
export const DEFAULT_DISPATCHER: DispatcherOptions = {
  concurrency: 128,
  perEndpoint: 32,
  pageSize: 200,
  breaker: DEFAULT_BREAKER,
  closeGraceMs: 2000,
};

/** Rounds of queries one `dispatch()` makes, each excluding the endpoints that clogged the last. */
const MAX_ROUNDS = 4;
/** Endpoints (url and signer) are re-read at most this often, or when a delivery names a new one. */
const ENDPOINT_CACHE_MS = 5000;

interface Target {
  url: string;
  signer: Webhook;
}

/** What an attempt means for its endpoint's breaker. */
type Attempted = 'delivered' | 'failed' | 'released';

/**
 * Ordering: one attempt at a time per (endpoint, connection), the due ones in the order they
 * were written, so a receiver sees `connection.created` before the `connection.updated` that
 * followed it. A failed attempt does not hold later events back (its retry comes later).
 */
function orderingKey(d: WebhookDelivery): string {
  const data = (d.payload as { data?: { connectionId?: unknown } }).data;
  const scope = typeof data?.connectionId === 'string' ? data.connectionId : d.id;
  return `${d.endpointId}\u0000${scope}`;
}

/**
 * Delivers the outbox concurrently: a bounded pool per instance, a limit per endpoint, one
 * attempt at a time per (endpoint, connection), and a circuit breaker per endpoint. `dispatch()`
 * starts what may start and returns without waiting for it; every settled attempt calls
 * `onSettled` (the server's loop wakes and dispatches again, so freed slots are refilled at once).
 *
 * Across instances nothing changes: a delivery is claimed by compare-and-swap on its lease right
 * before it is sent (stamped with the clock at that claim), so each attempt happens once while
 * its instance lives. The limits and breakers are per instance.
 */
export class WebhookDispatcher {
  readonly breakers: EndpointBreakers;
  private readonly opts: DispatcherOptions;
  private readonly tasks = new Set<Promise<void>>();
  private readonly byEndpoint = new Map<string, number>();
  private readonly busyKeys = new Set<string>();
  private readonly abort = new AbortController();
  private targets = new Map<string, Target>();
  private targetsReadAt = -Infinity;
  private readonly signers = new Map<string, { secretEnc: string; signer: Webhook }>();
  private readonly writer: DeliveryWriter;
  /** Deliveries holding a slot: being claimed or in flight. */
  private reserved = 0;
  private closed = false;
  private serial: Promise<unknown> = Promise.resolve();
  /** Attempts this dispatcher claimed and made (won the claim), since it was created. */
  attempted = 0;

  constructor(
    private readonly em: () => Em,
    private readonly deps: CoreDeps,
    opts: Partial<DispatcherOptions> = {},
    private readonly onSettled: () => void = () => undefined,
  ) {
    this.opts = { ...DEFAULT_DISPATCHER, ...opts };
    this.breakers = new EndpointBreakers(deps.clock, this.opts.breaker);
    this.writer = new DeliveryWriter(em);
  }

  get inFlight(): number {
    return this.tasks.size;
  }

  /**
   * Starts the due deliveries that may start now (free slots, endpoint under its limit and
   * breaker closed, no earlier attempt of the same connection in flight), at most `limit`.
   * Returns how many were started; they run on after it returns.
   */
  dispatch(limit = Number.POSITIVE_INFINITY): Promise<number> {
    // One at a time: concurrent rounds would only race for the same rows, and on SQLite every
    // statement waiting for a lock holds one of libuv's four threads (node-sqlite3), so a pile
    // of them can starve the transaction they wait for until the busy timeout.
    const run = this.serial.then(() => this.dispatchNow(limit));
    this.serial = run.catch(() => undefined);
    return run;
  }

  private async dispatchNow(limit: number): Promise<number> {
    let started = 0;
    const excluded = new Set(this.breakers.blocked());
    for (let round = 0; round < MAX_ROUNDS && !this.closed; round++) {
      const free = () => Math.min(this.opts.concurrency - this.reserved, limit - started);
      if (free() <= 0) break;
      for (const [endpointId, n] of this.byEndpoint) {
        if (n >= this.breakers.allowance(endpointId, this.opts.perEndpoint))
          excluded.add(endpointId);
      }
      const now = this.deps.clock.now();
      const want = Math.min(this.opts.pageSize, 2 * free() + 8);
      const rows = await this.em().find(
        WebhookDelivery,
        {
          status: 'pending',
          nextAttemptAt: { $lte: now },
          $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }],
          ...(excluded.size > 0 ? { endpointId: { $nin: [...excluded] } } : {}),
        },
        // Read what could start (with room for rows that must wait their turn), not a whole page:
        // hydrating rows that cannot start costs more than another round.
        { orderBy: { nextAttemptAt: 'asc' }, limit: want },
      );
      if (rows.length === 0) break;
      const targets = await this.targetsFor(rows);
      const clogged = new Set<string>();
      const picked: { d: WebhookDelivery; key: string }[] = [];
      for (const d of rows) {
        if (free() <= 0) break;
        const key = orderingKey(d);
        if (this.busyKeys.has(key)) {
          clogged.add(d.endpointId);
          continue;
        }
        const allowance = this.breakers.allowance(d.endpointId, this.opts.perEndpoint);
        if ((this.byEndpoint.get(d.endpointId) ?? 0) >= allowance) {
          clogged.add(d.endpointId);
          continue;
        }
        this.reserve(d, key);
        picked.push({ d, key });
      }
      // One claim for the round, stamped now: right before these are sent.
      const claimedAt = this.deps.clock.now();
      const leaseUntil = new Date(claimedAt.getTime() + WEBHOOK_LEASE_MS);
      let claimed = new Map<string, number>();
      try {
        claimed = await this.writer.claim(
          picked.map((p) => p.d.id),
          claimedAt,
          leaseUntil,
        );
      } finally {
        for (const { d, key } of picked) {
          const attempts = claimed.get(d.id);
          if (attempts === undefined) this.unreserve(d, key, 'released');
          else {
            this.launch(d, key, attempts, leaseUntil, targets.get(d.endpointId) ?? null);
            started += 1;
          }
        }
      }
      // Everything due was in this page, or nothing more can start: no need to read on.
      if (rows.length < want || free() <= 0) break;
      const before = excluded.size;
      for (const id of clogged) excluded.add(id);
      if (excluded.size === before) break;
    }
    return started;
  }

  /** Resolves once no attempt is in flight. */
  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.race(this.tasks);
  }

  /** Resolves when any attempt in flight settles (at once if none is). */
  async settled(): Promise<void> {
    if (this.tasks.size > 0) await Promise.race(this.tasks);
  }

  /**
   * Starts nothing more, lets running attempts finish for `closeGraceMs`, then aborts the rest:
   * an aborted attempt gives its claim back without counting it, so the message is sent again.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.tasks.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.idle(),
        new Promise<void>((r) => {
          timer = setTimeout(r, this.opts.closeGraceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.abort.abort();
    await this.idle();
  }

  /** Holds a slot, the endpoint's share and the connection's turn for one delivery. */
  private reserve(d: WebhookDelivery, key: string): void {
    this.busyKeys.add(key);
    this.byEndpoint.set(d.endpointId, (this.byEndpoint.get(d.endpointId) ?? 0) + 1);
    this.breakers.started(d.endpointId);
    this.reserved += 1;
  }

  private unreserve(d: WebhookDelivery, key: string, outcome: Attempted): void {
    this.reserved -= 1;
    this.busyKeys.delete(key);
    const n = (this.byEndpoint.get(d.endpointId) ?? 1) - 1;
    if (n > 0) this.byEndpoint.set(d.endpointId, n);
    else this.byEndpoint.delete(d.endpointId);
    if (outcome === 'delivered') this.breakers.succeeded(d.endpointId);
    else if (outcome === 'failed') {
      if (this.breakers.failed(d.endpointId))
        this.deps.logger.warn(
          { endpointId: d.endpointId },
          'webhook endpoint keeps failing: circuit breaker open, deliveries wait',
        );
    } else this.breakers.released(d.endpointId);
  }

  private launch(
    d: WebhookDelivery,
    key: string,
    attempts: number,
    leaseUntil: Date,
    target: Target | null,
  ): void {
    this.attempted += 1;
    const task: Promise<void> = this.run(d, attempts, leaseUntil, target)
      .catch((err: unknown): Attempted => {
        this.deps.logger.error(
          {
            deliveryId: d.id,
            endpointId: d.endpointId,
            // The name and driver code only: a database error's message can quote values.
            err: {
              name: err instanceof Error ? err.name : typeof err,
              code: (err as { code?: unknown } | null)?.code ?? null,
            },
          },
          'webhook attempt could not be recorded',
        );
        return 'released';
      })
      .then((outcome) => {
        this.tasks.delete(task);
        this.unreserve(d, key, outcome);
        if (!this.closed) this.onSettled();
      });
    this.tasks.add(task);
  }

  /** Sends one claimed delivery and records the outcome (only while the claim holds). */
  private async run(
    d: WebhookDelivery,
    claimedAttempts: number,
    leaseUntil: Date,
    target: Target | null,
  ): Promise<Attempted> {
    if (!target) {
      await this.writer.record(d.id, leaseUntil, { kind: 'endpoint-deleted' });
      telemetryOf(this.deps).webhookAttempted({
        outcome: 'endpoint_deleted',
        durationMs: 0,
        lagMs: null,
      });
      return 'released';
    }
    const body = JSON.stringify(d.payload);
    const sentAt = this.deps.clock.now();
    const startedAt = performance.now();
    const { status, error } = await postWebhook({
      egress: egressPolicy(this.deps),
      url: target.url,
      headers: {
        'webhook-id': d.messageId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': target.signer.sign(d.messageId, sentAt, body),
      },
      body,
      signal: this.abort.signal,
    });
    const durationMs = elapsedMs(startedAt);
    if (error === 'aborted') {
      // Shutting down: give the claim back; the attempt does not count.
      await this.writer.record(d.id, leaseUntil, { kind: 'release' });
      return 'released';
    }
    const attempts = claimedAttempts + 1;
    const now = this.deps.clock.now();
    if (!error) {
      const recorded = await this.writer.record(d.id, leaseUntil, {
        kind: 'delivered',
        attempts,
        status,
        at: now,
      });
      if (!recorded) this.leaseLost(d);
      const lagMs = now.getTime() - d.createdAt.getTime();
      telemetryOf(this.deps).webhookAttempted({ outcome: 'delivered', durationMs, lagMs });
      return 'delivered';
    }
    const delay = RETRY_DELAYS_S[attempts - 1];
    const recorded = await this.writer.record(
      d.id,
      leaseUntil,
      delay === undefined
        ? { kind: 'failed', attempts, status, error }
        : {
            kind: 'retry',
            attempts,
            status,
            error,
            nextAttemptAt: new Date(now.getTime() + delay * 1000),
          },
    );
    if (!recorded) this.leaseLost(d);
    telemetryOf(this.deps).webhookAttempted({
      outcome: delay === undefined ? 'failed' : 'retrying',
      durationMs,
      lagMs: null,
    });
    this.deps.logger.warn(
      { deliveryId: d.id, endpointId: d.endpointId, attempts, error },
      'webhook delivery failed',
    );
    return 'failed';
  }

  /** Each endpoint's URL and signer; the secret is opened once per endpoint, not per message. */
  private async targetsFor(rows: WebhookDelivery[]): Promise<Map<string, Target>> {
    const stale = Date.now() - this.targetsReadAt > ENDPOINT_CACHE_MS;
    if (stale || rows.some((d) => !this.targets.has(d.endpointId))) {
      const endpoints = await this.em().find(WebhookEndpoint, {});
      const targets = new Map<string, Target>();
      for (const e of endpoints) {
        let cached = this.signers.get(e.id);
        if (cached?.secretEnc !== e.secretEnc) {
          cached = {
            secretEnc: e.secretEnc,
            signer: new Webhook(open(this.deps.keyring, e.secretEnc, secretAad(e.id))),
          };
          this.signers.set(e.id, cached);
        }
        targets.set(e.id, { url: e.url, signer: cached.signer });
      }
      this.targets = targets;
      this.targetsReadAt = Date.now();
    }
    return this.targets;
  }

  private leaseLost(d: WebhookDelivery): void {
    this.deps.logger.warn(
      { deliveryId: d.id, endpointId: d.endpointId },
      'webhook attempt outlasted its lease; another instance took the message over',
    );
  }
}

/**
 * One pass over what is due, for tests and scripts (the server runs a long-lived
 * `WebhookDispatcher` instead): at most `limit` attempts, one at a time per endpoint unless
 * `opts` says otherwise, endpoints side by side. Resolves when they are all done; returns how
 * many were attempted (claims another instance won are not counted).
 */
export async function deliverDueWebhooks(
  em: Em,
  deps: CoreDeps,
  limit = 20,
  opts: Partial<DispatcherOptions> = {},
): Promise<number> {
  const dispatcher = new WebhookDispatcher(() => em.fork(), deps, { perEndpoint: 1, ...opts });
  let launched = 0;
  while (launched < limit) {
    const started = await dispatcher.dispatch(limit - launched);
    launched += started;
    if (started === 0 && dispatcher.inFlight === 0) break;
    await dispatcher.settled();
  }
  await dispatcher.idle();
  return dispatcher.attempted;
}
