import { WebhookDelivery, type Em } from '@plugboard/db';

/**
 * The outbox writes of delivery, batched: a database commit costs far more than the statement
 * in it (on SQLite with the default journal it is an fsync, ~20–50 ms on the CI machine), so
 * claims are one UPDATE … RETURNING per dispatch round and outcomes are group-committed — every
 * outcome that arrives while a commit runs goes into the next one.
 */

/**
 * Claims the given deliveries for one attempt by compare-and-swap on their lease (still pending,
 * due, and not leased to anyone) and returns the ones this call won, with their current attempt
 * count. One statement, so one commit, for the whole round.
 */
export async function claimDeliveries(
  em: Em,
  ids: string[],
  claimedAt: Date,
  leaseUntil: Date,
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = (await em
    .createQueryBuilder(WebhookDelivery)
    .update({ leaseUntil })
    .where({
      id: { $in: ids },
      status: 'pending',
      nextAttemptAt: { $lte: claimedAt },
      $or: [{ leaseUntil: null }, { leaseUntil: { $lte: claimedAt } }],
    })
    .returning(['id', 'attempts'])
    .execute('all')) as { id: string; attempts: number }[];
  return new Map(rows.map((r) => [r.id, Number(r.attempts)]));
}

/** What one attempt changes on its row; applied only while its claim (`leaseUntil`) holds. */
export type Outcome =
  | { kind: 'delivered'; attempts: number; status: number | null; at: Date }
  | {
      kind: 'retry';
      attempts: number;
      status: number | null;
      error: string;
      nextAttemptAt: Date;
    }
  | { kind: 'failed'; attempts: number; status: number | null; error: string }
  | { kind: 'endpoint-deleted' }
  /** The attempt did not happen (shutting down): the claim is given back, nothing counted. */
  | { kind: 'release' };

interface PendingClaim {
  ids: string[];
  claimedAt: Date;
  leaseUntil: Date;
  done: (claimed: Map<string, number>) => void;
  fail: (err: unknown) => void;
}

interface Pending {
  id: string;
  leaseUntil: Date;
  outcome: Outcome;
  /** Resolves true if recorded, false if the claim had run out (another instance took over). */
  done: (recorded: boolean) => void;
  fail: (err: unknown) => void;
}

/**
 * The dispatcher's one writer: claims and outcomes queue here and are written one transaction at
 * a time, each taking everything that waited (group commit). One writer, not one per attempt:
 * two write transactions of one process on SQLite's rollback journal can deadlock each other
 * until the busy timeout (each holds a lock the other's commit needs).
 */
export class DeliveryWriter {
  private claims: PendingClaim[] = [];
  private outcomes: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly em: () => Em) {}

  claim(ids: string[], claimedAt: Date, leaseUntil: Date): Promise<Map<string, number>> {
    if (ids.length === 0) return Promise.resolve(new Map());
    return new Promise((done, fail) => {
      this.claims.push({ ids, claimedAt, leaseUntil, done, fail });
      this.running ??= this.drain();
    });
  }

  record(id: string, leaseUntil: Date, outcome: Outcome): Promise<boolean> {
    return new Promise<boolean>((done, fail) => {
      this.outcomes.push({ id, leaseUntil, outcome, done, fail });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.claims.length + this.outcomes.length > 0) {
      const claims = this.claims;
      const outcomes = this.outcomes;
      this.claims = [];
      this.outcomes = [];
      try {
        const { claimed, recorded } = await this.em().transactional(async (tx) => {
          // Outcomes first: they free rows (and connections' turns) the claims may want.
          const recorded = outcomes.length > 0 ? await write(tx, outcomes) : new Set<Pending>();
          const claimed: Map<string, number>[] = [];
          for (const c of claims) {
            claimed.push(await claimDeliveries(tx, c.ids, c.claimedAt, c.leaseUntil));
          }
          return { claimed, recorded };
        });
        for (const p of outcomes) p.done(recorded.has(p));
        claims.forEach((c, i) => c.done(claimed[i]!));
      } catch (err) {
        for (const p of outcomes) p.fail(err);
        for (const c of claims) c.fail(err);
      }
    }
    this.running = null;
  }
}

async function write(tx: Em, batch: Pending[]): Promise<Set<Pending>> {
  const recorded = new Set<Pending>();
  // Successes share one statement per (claim, status, attempt count): usually one in all.
  const groups = new Map<string, Pending[]>();
  for (const p of batch) {
    if (p.outcome.kind !== 'delivered') continue;
    const key = `${p.leaseUntil.getTime()}|${p.outcome.status}|${p.outcome.attempts}|${p.outcome.at.getTime()}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) {
    const first = group[0]!.outcome as Extract<Outcome, { kind: 'delivered' }>;
    const n = await tx.nativeUpdate(
      WebhookDelivery,
      { id: { $in: group.map((p) => p.id) }, leaseUntil: group[0]!.leaseUntil },
      {
        status: 'delivered',
        attempts: first.attempts,
        lastStatus: first.status,
        lastError: null,
        deliveredAt: first.at,
        leaseUntil: null,
      },
    );
    if (n === group.length) for (const p of group) recorded.add(p);
    // Some claims ran out (rare): which ones is not known, so none of the group counts as ours.
  }
  for (const p of batch) {
    const ours = { id: p.id, leaseUntil: p.leaseUntil };
    const o = p.outcome;
    let n = 0;
    if (o.kind === 'delivered') continue;
    else if (o.kind === 'retry')
      n = await tx.nativeUpdate(WebhookDelivery, ours, {
        attempts: o.attempts,
        lastStatus: o.status,
        lastError: o.error,
        leaseUntil: null,
        nextAttemptAt: o.nextAttemptAt,
      });
    else if (o.kind === 'failed')
      n = await tx.nativeUpdate(WebhookDelivery, ours, {
        status: 'failed',
        attempts: o.attempts,
        lastStatus: o.status,
        lastError: o.error,
        leaseUntil: null,
      });
    else if (o.kind === 'endpoint-deleted')
      n = await tx.nativeUpdate(WebhookDelivery, ours, {
        status: 'failed',
        leaseUntil: null,
        lastError: 'endpoint deleted',
      });
    else n = await tx.nativeUpdate(WebhookDelivery, ours, { leaseUntil: null });
    if (n === 1) recorded.add(p);
  }
  return recorded;
}
