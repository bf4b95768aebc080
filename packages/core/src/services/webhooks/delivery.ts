import type { Em } from '@plugboard/db';
import type { CoreDeps } from '../../deps';
import { dateOf } from '../raw-rows';
import {
  attemptDelivery,
  EndpointTargets,
  type Attempted,
  type DueDelivery,
  type Target,
} from './attempt';
import { EgressAgents, egressPolicy, type EgressPolicy } from '../webhook-egress';
import { EndpointBreakers } from './breaker';
import { DEFAULT_DISPATCHER, WEBHOOK_LEASE_MS, type DispatcherOptions } from './dispatcher-options';
import { DeliveryWriter } from './store';

// Scheduling of the outbox: slots, per-endpoint limits, ordering, breakers. One attempt (sign,
// send, record) is attempt.ts; the options and lease are dispatcher-options.ts.
export { DEFAULT_DISPATCHER, WEBHOOK_LEASE_MS, type DispatcherOptions } from './dispatcher-options';

/** Rounds of queries one `dispatch()` makes, each excluding the endpoints that clogged the last. */
const MAX_ROUNDS = 4;
/**
 * Ordering: one attempt at a time per (endpoint, connection), the due ones in the order they
 * were written, so a receiver sees `connection.created` before the `connection.updated` that
 * followed it. A failed attempt does not hold later events back (its retry comes later).
 */
function orderingKey(d: DueDelivery): string {
  return `${d.endpointId}\u0000${d.connectionId ?? d.id}`;
}

/**
 * The due deliveries, oldest due first, as plain rows (no entity, identity map or snapshot: the
 * dispatcher reads every round, and rows that cannot start yet are read again). The payload comes
 * as its JSON text (`cast … as text`: SQLite's stored text, PostgreSQL's jsonb output), which is
 * the body sent: it is parsed once here for the ordering key, never serialised again.
 */
async function readDue(
  em: Em,
  now: Date,
  excluded: Set<string>,
  limit: number,
): Promise<DueDelivery[]> {
  const notIn =
    excluded.size > 0 ? ` and endpoint_id not in (${[...excluded].map(() => '?').join(', ')})` : '';
  const rows = await em
    .getConnection()
    .execute<Record<string, unknown>[]>(
      'select id, message_id, endpoint_id, cast(payload as text) as payload, created_at ' +
        "from webhook_deliveries where status = 'pending' and next_attempt_at <= ? " +
        `and (lease_until is null or lease_until <= ?)${notIn} ` +
        'order by next_attempt_at asc limit ?',
      [now, now, ...excluded, limit],
      'all',
    );
  return rows.map((r) => {
    const body = String(r.payload);
    const data = (JSON.parse(body) as { data?: { connectionId?: unknown } } | null)?.data;
    return {
      id: String(r.id),
      messageId: String(r.message_id),
      endpointId: String(r.endpoint_id),
      body,
      connectionId: typeof data?.connectionId === 'string' ? data.connectionId : null,
      createdAt: dateOf(r.created_at)!,
    };
  });
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
  private readonly targets: EndpointTargets;
  private readonly writer: DeliveryWriter;
  private readonly egress: EgressPolicy;
  /** Kept-alive HTTP agents, one per receiving origin, closed with the dispatcher. */
  private readonly agents: EgressAgents;
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
    this.targets = new EndpointTargets(em, deps.keyring);
    this.egress = egressPolicy(deps);
    this.agents = new EgressAgents(this.egress);
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
      // Read what could start (with room for rows that must wait their turn), not a whole page.
      const rows = await readDue(this.em(), now, excluded, want);
      if (rows.length === 0) break;
      const targets = await this.targets.for(rows);
      const clogged = new Set<string>();
      const picked: { d: DueDelivery; key: string }[] = [];
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
    await this.agents.close();
  }

  /** Holds a slot, the endpoint's share and the connection's turn for one delivery. */
  private reserve(d: DueDelivery, key: string): void {
    this.busyKeys.add(key);
    this.byEndpoint.set(d.endpointId, (this.byEndpoint.get(d.endpointId) ?? 0) + 1);
    this.breakers.started(d.endpointId);
    this.reserved += 1;
  }

  private unreserve(d: DueDelivery, key: string, outcome: Attempted): void {
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
    d: DueDelivery,
    key: string,
    attempts: number,
    leaseUntil: Date,
    target: Target | null,
  ): void {
    this.attempted += 1;
    const task: Promise<void> = attemptDelivery(
      {
        deps: this.deps,
        writer: this.writer,
        signal: this.abort.signal,
        egress: this.egress,
        agents: this.agents,
      },
      d,
      attempts,
      leaseUntil,
      target,
    )
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
  await dispatcher.close();
  return dispatcher.attempted;
}
