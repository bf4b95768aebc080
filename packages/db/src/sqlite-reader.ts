/**
 * A second SQLite connection for the hot one-row reads (API-key checks, credentials reads, the
 * proxy's connection), beside the pool knex keeps. knex gives SQLite one pooled connection
 * (`pool.max = 1`): every statement waits for it, is acquired and released through tarn, and
 * runs through MikroORM's and knex's query pipeline — in issue 13's profile ~4× the cost of the
 * driver call itself, and reads queue behind the background jobs' writes. In WAL mode readers
 * never block the writer nor wait for it (https://www.sqlite.org/wal.html, "Concurrency"), so
 * a read-only connection of its own answers them directly.
 *
 * - Only committed data is seen, so a read inside a transaction must not come here
 *   (`readOneRow` in bound-queries.ts sends those through the transaction's connection).
 * - Statements are kept prepared and reused: a one-shot statement (`Database#get`) is three
 *   trips to libuv's thread pool (prepare, step, finalize), a kept one is one — measured ~3× less
 *   main-thread time a read (issue 13). Each read takes an idle statement of its SQL text or
 *   prepares one, and gives it back afterwards (at most `IDLE_PER_SQL` kept per text, at most
 *   `SQL_TEXTS_MAX` texts; beyond that a read is one-shot). One statement per read in flight:
 *   node-sqlite3 runs one statement's calls one after the other, so a single shared statement
 *   serialises the reads behind each other's round trip (measured ×0.72 the throughput).
 * - A kept statement is run with `Statement#all`, which steps it to SQLITE_DONE: the statement
 *   finishes there, and with it its implicit read transaction
 *   (https://www.sqlite.org/lang_transaction.html, "Implicit versus explicit transactions"), so
 *   no idle statement keeps a WAL snapshot open between reads and checkpoints
 *   (`journal_size_limit`, key rotation's TRUNCATE) are never held back by it (`Statement#get`
 *   stops at the row and would leave it open). The reads here are lookups by a unique key (one
 *   row at most), so stepping to the end costs nothing more.
 * - `PRAGMA query_only` makes the connection refuse any write
 *   (https://www.sqlite.org/pragma.html#pragma_query_only).
 * - It uses the driver knex loaded (the same sqlite3 binary), opened on first use and closed
 *   with the ORM.
 */

/** How long a statement waits for another connection's lock on a SQLite file before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Idle prepared statements kept per SQL text (about the reads in flight at once). */
const IDLE_PER_SQL = 16;
/** Distinct SQL texts kept (the hot reads are a handful of constant texts). */
const SQL_TEXTS_MAX = 32;

/** What this file needs of node-sqlite3 (https://github.com/TryGhost/node-sqlite3/wiki/API). */
interface Sqlite3Statement {
  all(params: unknown[], cb: (err: Error | null, rows?: unknown[]) => void): void;
  finalize(cb: () => void): void;
}
interface Sqlite3Database {
  configure(option: 'busyTimeout', ms: number): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
  get(sql: string, params: unknown[], cb: (err: Error | null, row?: unknown) => void): void;
  prepare(sql: string, cb: (err: Error | null) => void): Sqlite3Statement;
  close(cb: (err: Error | null) => void): void;
}
export interface Sqlite3Module {
  Database: new (path: string, mode: number, cb: (err: Error | null) => void) => Sqlite3Database;
  OPEN_READWRITE: number;
}

export class SqliteReader {
  private db: Promise<Sqlite3Database> | null = null;
  private closed = false;
  /** Idle prepared statements by SQL text, on the open handle. */
  private idle = new Map<string, Sqlite3Statement[]>();
  /** Statements handed out and not yet given back (finalized by `close`). */
  private busy = new Set<Sqlite3Statement>();

  constructor(
    private readonly driver: Sqlite3Module,
    private readonly path: string,
    private readonly busyTimeoutMs: number,
  ) {}

  /** One row (or undefined) of a select with `?` bindings. */
  async get<T>(sql: string, bindings: unknown[]): Promise<T | undefined> {
    const db = await this.open();
    let kept = this.idle.get(sql);
    if (!kept) {
      if (this.idle.size >= SQL_TEXTS_MAX) {
        return new Promise<T | undefined>((resolve, reject) =>
          db.get(sql, bindings, (err, row) => (err ? reject(err) : resolve(row as T | undefined))),
        );
      }
      this.idle.set(sql, (kept = []));
    }
    return new Promise<T | undefined>((resolve, reject) => {
      // A new statement queues the read behind its own prepare (node-sqlite3 runs a statement's
      // calls in order), so no turn is spent waiting for the prepare alone. A text that does not
      // prepare answers in the prepare's callback only (its queued read never runs).
      const statement =
        kept.pop() ??
        db.prepare(sql, (err) => {
          if (!err) return;
          if (this.busy.delete(statement)) statement.finalize(() => undefined);
          reject(err);
        });
      this.busy.add(statement);
      statement.all(bindings, (err, rows) => {
        // Not in `busy` any more: `close` took it and finalizes it.
        if (this.busy.delete(statement)) {
          // A statement that failed (a busy file, say) is not kept.
          if (err || kept.length >= IDLE_PER_SQL) statement.finalize(() => undefined);
          else kept.push(statement);
        }
        if (err) reject(err);
        else resolve(rows?.[0] as T | undefined);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const db = this.db;
    this.db = null;
    if (!db) return;
    const statements = [...this.busy, ...[...this.idle.values()].flat()];
    this.idle.clear();
    this.busy.clear();
    const handle = await db.catch(() => null);
    // SQLite closes a connection only once its statements are finalized (node-sqlite3 runs a
    // statement's pending read before its finalize).
    await Promise.all(
      statements.map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))),
    );
    if (handle) await new Promise<void>((resolve) => handle.close(() => resolve()));
  }

  private open(): Promise<Sqlite3Database> {
    if (this.closed) return Promise.reject(new Error('the database was closed'));
    this.db ??= new Promise<Sqlite3Database>((resolve, reject) => {
      // Read-write mode with writes refused by query_only: a read-only handle cannot create
      // the WAL's shared-memory file if it is missing (https://www.sqlite.org/walformat.html).
      const db = new this.driver.Database(this.path, this.driver.OPEN_READWRITE, (err) => {
        if (err) return reject(err);
        db.configure('busyTimeout', this.busyTimeoutMs);
        db.exec('PRAGMA query_only = ON', (e) => (e ? reject(e) : resolve(db)));
      });
    });
    // A failed open is not kept: the next read tries again.
    this.db.catch(() => (this.db = null));
    return this.db;
  }
}
