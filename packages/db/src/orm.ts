import type { MikroORM, Transaction } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { lock as lockFile } from 'proper-lockfile';
import { dialectOf } from './bound-queries';
import { entities } from './entities';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-reader';
import { postgresqlMigrations, sqliteMigrations } from './migrations';

export type Orm = MikroORM<AbstractSqlDriver, SqlEntityManager>;
export type Em = SqlEntityManager;

/**
 * Write-ahead log with `synchronous = NORMAL` (https://www.sqlite.org/wal.html,
 * https://www.sqlite.org/pragma.html#pragma_synchronous): a commit appends to the WAL without
 * waiting for an fsync (the WAL is synced at checkpoints), and readers no longer block the writer.
 * What it gives up: on power loss or an OS crash (not a crash of the process) the last
 * transactions committed before it may be rolled back; the database is never corrupted. The
 * journal mode is stored in the file, so every process opening it uses the WAL. README
 * (Configuration → Scaling) states this. A deleted value's old page can stay in the -wal file
 * until the next checkpoint (automatic every 1,000 pages); `journal_size_limit = 0` truncates the
 * WAL when a checkpoint resets it, and compactAfterRewrite checkpoints at once.
 */
const SQLITE_DURABILITY_PRAGMAS =
  'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 0;';

/** The raw node-sqlite3 connection knex hands to `pool.afterCreate`. */
interface RawSqliteConnection {
  configure(option: 'busyTimeout', ms: number): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
}

const isBusy = (err: Error | null): boolean =>
  (err as { code?: string } | null)?.code === 'SQLITE_BUSY';

/**
 * Runs the per-connection pragmas, retrying while the file is busy. The busy timeout does not
 * cover them all: switching a rollback-journal file to WAL (https://www.sqlite.org/wal.html,
 * "Activating And Configuring WAL Mode") takes an exclusive lock without calling the busy
 * handler, so it fails at once with `SQLITE_BUSY` while another connection is in a write
 * transaction — instances opening a fresh file at the same moment hit that (once in ~30 starts of four
 * processes here; the same fix elsewhere: https://jira.mongodb.org/browse/WT-16251). The mode is
 * stored in the file, so once one instance switched it the others' pragma is a no-op; retrying
 * within the busy timeout is enough. Tested in sqlite-wal-switch.test.ts.
 */
function execPragmas(
  conn: RawSqliteConnection,
  sql: string,
  done: (err: Error | null) => void,
  deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS,
): void {
  conn.exec(sql, (err) => {
    if (!isBusy(err) || Date.now() >= deadline) return done(err);
    setTimeout(() => execPragmas(conn, sql, done, deadline), 10 + Math.random() * 40);
  });
}

export type DatabaseConfig =
  { kind: 'sqlite'; path: string } | { kind: 'postgresql'; url: string; poolMax?: number };

/** `postgres://…` → PostgreSQL; anything else is a SQLite file path (or `:memory:`). */
export function databaseConfigFrom(
  databaseUrl: string | undefined,
  sqlitePath: string,
): DatabaseConfig {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { kind: 'postgresql', url: databaseUrl };
  }
  return { kind: 'sqlite', path: databaseUrl ?? sqlitePath };
}

/**
 * Opens the database, with drivers that bind every value as a query parameter (MikroORM 6 would
 * inline them into the SQL text: see bound-queries.ts). Entities are defined with `defineEntity` and discovered from the list, so
 * nothing depends on file globs or decorators (works the same under tsx, vitest and a bundle).
 * Only the database's own driver is loaded (`import()`; a chunk of its own in the server's
 * bundle): a SQLite server does not hold pg, @mikro-orm/postgresql and their knex in memory.
 */
export async function openOrm(config: DatabaseConfig): Promise<Orm> {
  const common = {
    entities,
    // Never on: MikroORM's query log prints each statement with its values (hashes, ciphertexts).
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    extensions: [Migrator],
  };
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const { SqliteORM, BoundSqliteDriver } = await import('./bound-sqlite');
    return (await SqliteORM.init({
      ...common,
      driver: BoundSqliteDriver,
      dbName: config.path,
      pool: {
        // Every connection: wait for other processes' locks instead of failing at once, enforce
        // foreign keys, and overwrite deleted content with zeros, so a value that is deleted or
        // rewritten (e.g. re-sealed with a new key) does not linger in free pages of the file
        // (https://www.sqlite.org/pragma.html#pragma_secure_delete).
        afterCreate(conn: RawSqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          conn.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
          execPragmas(
            conn,
            'PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; ' + SQLITE_DURABILITY_PRAGMAS,
            (err) => done(err, conn),
          );
        },
      },
      migrations: {
        migrationsList: sqliteMigrations,
        transactional: true,
        snapshot: false,
        silent: true,
      },
    })) as unknown as Orm;
  }
  const { PostgresORM, BoundPostgreSqlDriver } = await import('./bound-postgresql');
  return (await PostgresORM.init({
    ...common,
    driver: BoundPostgreSqlDriver,
    clientUrl: config.url,
    pool: { min: 0, max: config.poolMax ?? 10 },
    migrations: {
      migrationsList: postgresqlMigrations,
      transactional: true,
      snapshot: false,
      silent: true,
    },
  })) as unknown as Orm;
}

/** pg_advisory_xact_lock key of the startup lock: any constant, the same in every version. */
const PG_STARTUP_LOCK_KEY = '7140521396287001001';

/** How long an instance waits for another one's migrations on a SQLite file. */
const SQLITE_LOCK_RETRIES = { retries: 600, factor: 1, minTimeout: 100, maxTimeout: 200 };

export interface MigrateOptions {
  /** Runs after the migrations while the startup lock is still held (e.g. bootstrap rows). */
  bootstrap?: (em: Em) => Promise<void>;
}

/**
 * Applies pending migrations, then `bootstrap`, under a lock every instance takes first, so
 * instances starting at once on a fresh database take turns and each finds the work of the ones
 * before it done. Returns the names of the migrations this call applied.
 *
 * - PostgreSQL: `pg_advisory_xact_lock` in a transaction that also runs every migration and the
 *   bootstrap (`migrator.up({ transaction })`, https://mikro-orm.io/docs/migrations). The
 *   migrator creates its `mikro_orm_migrations` table on another pooled connection before it
 *   uses that transaction (node_modules/@mikro-orm/migrations/MigrationStorage.js,
 *   `ensureTable`): that is covered too, because no other instance gets past the lock until this
 *   transaction ends. The lock ends with the transaction, also when the process dies.
 * - SQLite: a lock directory beside the file (proper-lockfile; taken over when its holder has
 *   not refreshed it for 20 s, i.e. died). An in-memory database has no other process to wait for.
 */
export async function migrate(orm: Orm, opts: MigrateOptions = {}): Promise<string[]> {
  const run = async (em: Em, transaction?: Transaction) => {
    const applied = await orm.getMigrator().up(transaction ? { transaction } : undefined);
    await opts.bootstrap?.(em);
    return applied.map((m) => m.name);
  };
  if (dialectOf(orm.em.getDriver()) === 'postgresql') {
    return orm.em.fork().transactional(async (em) => {
      const trx = em.getTransactionContext();
      await em
        .getConnection()
        .execute(`select pg_advisory_xact_lock(${PG_STARTUP_LOCK_KEY})`, [], 'all', trx);
      return run(em, trx);
    });
  }
  const path = orm.config.get('dbName');
  if (!path || path === ':memory:') return run(orm.em.fork());
  const release = await lockFile(path, {
    realpath: false,
    stale: 20_000,
    update: 5_000,
    retries: SQLITE_LOCK_RETRIES,
  });
  try {
    return await run(orm.em.fork());
  } finally {
    await release();
  }
}

/**
 * After secrets were rewritten (key rotation): on SQLite, rebuilds the file with `VACUUM` so no
 * free page or cell keeps an old value — secure_delete (set on every connection, see openOrm)
 * zeroes what is deleted from now on, VACUUM also what a database accumulated before it
 * (https://www.sqlite.org/lang_vacuum.html). Returns false on PostgreSQL: there only
 * `VACUUM FULL` rewrites the table files, and it locks each table while it runs, so it is left
 * to the operator (README, "Key rotation").
 */
export async function compactAfterRewrite(em: Em): Promise<boolean> {
  if (dialectOf(em.getDriver()) === 'postgresql') return false;
  await em.getConnection().execute('vacuum', [], 'run');
  // In WAL mode the rewritten pages sit in the -wal file until a checkpoint: copy them into the
  // database and truncate the WAL, so no old value stays there either.
  await em.getConnection().execute('pragma wal_checkpoint(TRUNCATE)', [], 'run');
  return true;
}
