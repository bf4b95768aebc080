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
    // Let the reads that finish in this turn of the event loop join the first statement too.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_ROWS);
      try {
        await insertRows(
          this.em,
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

/** The entity's fields in the order of `Row`'s values (columns from the entity's metadata). */
const FIELDS = [
  'id',
  'actor',
  'action',
  'connectionId',
  'targetId',
  'providerId',
  'detail',
  'createdAt',
] as const satisfies readonly (keyof Row)[];

/**
 * One multi-row INSERT, run as SQL through the ORM's connection (values bound, dates and JSON as
 * the driver binds them: packages/db/src/bound-queries.ts): the rows are plain, so MikroORM's
 * fork, metadata walk and query builder per batch (×1.5 the statement's own main-thread time,
 * measured) buy nothing here. The statement's text depends only on the number of rows (at most
 * `MAX_ROWS`), so each is built once per ORM.
 */
function insertRows(em: Em, rows: Row[]): Promise<unknown> {
  return em.getConnection().execute(
    insertSql(em, rows.length),
    rows.flatMap((r) => FIELDS.map((f) => r[f])),
    'run',
  );
}

/** INSERT texts by row count, per ORM (the EntityManager's shared Configuration). */
const insertTexts = new WeakMap<object, Map<number, string>>();

function insertSql(em: Em, count: number): string {
  let texts = insertTexts.get(em.config);
  if (!texts) insertTexts.set(em.config, (texts = new Map()));
  let sql = texts.get(count);
  if (sql === undefined) {
    const meta = em.getMetadata().get<Row>(AuditEntry.meta.className);
    const platform = em.getPlatform();
    const columns = FIELDS.map((f) => platform.quoteIdentifier(meta.properties[f].fieldNames[0]!));
    const tuple = `(${FIELDS.map(() => '?').join(', ')})`;
    sql =
      `insert into ${platform.quoteIdentifier(meta.tableName)} (${columns.join(', ')}) ` +
      `values ${Array.from({ length: count }, () => tuple).join(', ')}`;
    texts.set(count, sql);
  }
  return sql;
}

const writers = new WeakMap<object, GroupInsert>();

/** Inserts one audit row, committed together with the rows other callers add meanwhile. */
export function insertAuditGrouped(em: Em, row: Row): Promise<void> {
  let writer = writers.get(em.config);
  if (!writer) writers.set(em.config, (writer = new GroupInsert(em)));
  return writer.write(row);
}
