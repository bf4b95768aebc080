import { AuditEntry, type Em } from '@plugboard/db';
import type { AuditRow } from './audit';

/**
 * Group commit for audit entries written on their own (credentials reads: one per read, the
 * hottest path there is). A caller's entry joins the statement being prepared; while one
 * multi-row INSERT runs, the next entries gather and go in the next one. Every caller still
 * waits until its own entry is committed — so no credentials leave without their entry, and a
 * crash loses none that a caller was told about — but N concurrent reads cost one statement (one
 * commit) instead of N. Per ORM (the EntityManager's shared Configuration), so instances in one
 * process keep their own queues.
 */
type Row = AuditRow;
interface Waiting {
  row: Row;
  done: (err?: unknown) => void;
}

/** Rows per statement: 8 columns each, far below SQLite's and PostgreSQL's parameter limits. */
const MAX_ROWS = 500;

class GroupInsert {
  private queue: Waiting[] = [];
  private running = false;

  constructor(private readonly em: Em) {}

  write(row: Row): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_ROWS);
      try {
        await this.em.fork().insertMany(
          AuditEntry,
          batch.map((w) => w.row),
        );
        for (const w of batch) w.done();
      } catch (err) {
        for (const w of batch) w.done(err ?? new Error('audit write failed'));
      }
    }
    this.running = false;
  }
}

const writers = new WeakMap<object, GroupInsert>();

/** Inserts one audit row, committed together with the rows other callers add meanwhile. */
export function insertAuditGrouped(em: Em, row: Row): Promise<void> {
  let writer = writers.get(em.config);
  if (!writer) writers.set(em.config, (writer = new GroupInsert(em)));
  return writer.write(row);
}
