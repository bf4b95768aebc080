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
 * - Each read is a one-shot statement (node-sqlite3's `Database#get` finalizes it), so no
 *   statement keeps a read transaction — and with it a WAL snapshot — open between reads, and
 *   checkpoints (`journal_size_limit`, key rotation's TRUNCATE) are never held back by it.
 * - `PRAGMA query_only` makes the connection refuse any write
 *   (https://www.sqlite.org/pragma.html#pragma_query_only).
 * - It uses the driver knex loaded (the same sqlite3 binary), opened on first use and closed
 *   with the ORM.
 */

/** How long a statement waits for another connection's lock on a SQLite file before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** What this file needs of node-sqlite3 (https://github.com/TryGhost/node-sqlite3/wiki/API). */
interface Sqlite3Database {
  configure(option: 'busyTimeout', ms: number): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
  get(sql: string, params: unknown[], cb: (err: Error | null, row?: unknown) => void): void;
  close(cb: (err: Error | null) => void): void;
}
export interface Sqlite3Module {
  Database: new (path: string, mode: number, cb: (err: Error | null) => void) => Sqlite3Database;
  OPEN_READWRITE: number;
}

export class SqliteReader {
  private db: Promise<Sqlite3Database> | null = null;
  private closed = false;

  constructor(
    private readonly driver: Sqlite3Module,
    private readonly path: string,
    private readonly busyTimeoutMs: number,
  ) {}

  /** One row (or undefined) of a select with `?` bindings. */
  async get<T>(sql: string, bindings: unknown[]): Promise<T | undefined> {
    const db = await this.open();
    return new Promise<T | undefined>((resolve, reject) =>
      db.get(sql, bindings, (err, row) => (err ? reject(err) : resolve(row as T | undefined))),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    const db = this.db;
    this.db = null;
    if (!db) return;
    const handle = await db.catch(() => null);
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
