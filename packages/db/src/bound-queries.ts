import {
  JsonProperty,
  Utils,
  type AnyEntity,
  type Configuration,
  type EntityData,
  type LoggingOptions,
  type QueryResult,
  type Transaction,
} from '@mikro-orm/core';
import {
  AbstractSqlDriver,
  type AbstractSqlConnection,
  type Knex,
  type SqlEntityManager,
} from '@mikro-orm/knex';
import { PostgreSqlConnection, PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { SqliteConnection, SqlitePlatform } from '@mikro-orm/sqlite';
import { SQLITE_BUSY_TIMEOUT_MS, SqliteReader, type Sqlite3Module } from './sqlite-reader';

/**
 * MikroORM 6 does not bind query parameters: `AbstractSqlConnection.execute` runs every value
 * through `platform.formatQuery` into the SQL text and hands knex a bare `raw(sql)` (see
 * node_modules/@mikro-orm/knex/AbstractSqlConnection.js, and the maintainers on it in
 * https://github.com/mikro-orm/mikro-orm/issues/6827). The escaping is correct, but a value still
 * travels as SQL: a NUL truncates the statement in SQLite's C API and breaks PostgreSQL's wire
 * protocol (`08P01`), and every statement text is unique. These connections keep MikroORM's query
 * building and send the values as real bind parameters (`$1…` on pg, `?` on sqlite3) instead.
 * `bound-queries.test.ts` watches the SQL the drivers receive to prove no value is inlined.
 */

interface Bound {
  sql: string;
  bindings: unknown[];
}

/**
 * Rewrites MikroORM's `?` / `??` SQL into knex raw SQL with bindings, turning each value the way
 * `platform.quoteValue` would (JSON for objects, a list for arrays, the platform's date format)
 * but as a binding. Identifiers (`??`) are not values and stay quoted in the text.
 */
export function bindParameters(
  platform: SqlitePlatform | PostgreSqlPlatform,
  sql: string,
  params: readonly unknown[],
): Bound {
  const bindings: unknown[] = [];
  let j = 0;
  let out = '';
  const value = (v: unknown): string => {
    if (Utils.isRawSql(v)) {
      const inner = bindParameters(platform, v.sql, v.params ?? []);
      bindings.push(...inner.bindings);
      return inner.sql;
    }
    if (Array.isArray(v) && !(v as { [JsonProperty]?: boolean })[JsonProperty]) {
      return v.map(value).join(', ');
    }
    bindings.push(bindable(platform, v));
    return '?';
  };
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === '\\' && sql[i + 1] === '?') {
      out += '\\?'; // a literal `?`: knex unescapes it too
      i++;
    } else if (ch !== '?') {
      out += ch;
    } else if (sql[i + 1] === '?') {
      out += platform.quoteIdentifier(params[j++] as string);
      i++;
    } else {
      out += value(params[j++]);
    }
  }
  return { sql: out, bindings };
}

function bindable(platform: SqlitePlatform | PostgreSqlPlatform, v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) {
    // What quoteValue inlines: epoch milliseconds on SQLite, the platform's timestamp on pg.
    return platform instanceof PostgreSqlPlatform ? platform.formatDate(v) : v.getTime();
  }
  if (ArrayBuffer.isView(v) || platform.isRaw(v)) return v;
  if (Utils.isPlainObject(v) || Array.isArray(v)) return JSON.stringify(v);
  return v;
}

/**
 * Wraps every statement an ORM runs (traces: apps/server/src/observability/tracing.ts). It gets
 * the SQL text, which holds `?` placeholders rather than values whenever there are parameters.
 */
export type QueryObserver = <T>(
  query: { sql: string; dialect: 'sqlite' | 'postgresql' },
  run: () => Promise<T>,
) => Promise<T>;

/** By the ORM's Configuration, which its connections share. */
const queryObservers = new WeakMap<object, QueryObserver>();

/** Sets (or, with null, removes) the observer of every statement this ORM runs. */
export function observeQueries(orm: { config: object }, observer: QueryObserver | null): void {
  if (observer) queryObservers.set(orm.config, observer);
  else queryObservers.delete(orm.config);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript requires any[] for a mixin base
type AnyConnectionClass = abstract new (...args: any[]) => AbstractSqlConnection;

/** `execute` of AbstractSqlConnection (MikroORM 6.6.7), with bindings instead of formatQuery. */
function withBoundParameters<TBase extends AnyConnectionClass>(Base: TBase) {
  abstract class WithBoundParameters extends Base {
    override async execute<
      T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] =
        EntityData<AnyEntity>[],
    >(
      queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
      params: unknown[] = [],
      method: 'all' | 'get' | 'run' = 'all',
      ctx?: Transaction,
      loggerContext?: LoggingOptions,
    ): Promise<T> {
      await this.ensureConnection();
      let sql: string;
      if (Utils.isObject<Knex.QueryBuilder | Knex.Raw>(queryOrKnex)) {
        ctx ??= (queryOrKnex as { client: { transacting?: unknown } }).client.transacting
          ? (queryOrKnex as unknown as Transaction)
          : undefined;
        const q = queryOrKnex.toSQL();
        sql = q.sql;
        params = [...(q.bindings ?? [])];
      } else {
        sql = queryOrKnex;
      }
      sql = this.config.get('onQuery')(sql, params);
      const bound = bindParameters(this.platform as SqlitePlatform, sql, params);
      const observer = queryObservers.get(this.config);
      // Logged without values: they can be secrets.
      const run = () =>
        this.executeQuery<T>(
          sql,
          async () => {
            // Without params the text is run as it is, like formatQuery does (a `?` in a migration's
            // string literal is not a placeholder).
            const query =
              params.length === 0
                ? this.getKnex().raw(sql)
                : this.getKnex().raw(bound.sql, bound.bindings as Knex.RawBinding[]);
            if (ctx) query.transacting(ctx as Knex.Transaction);
            return this.transformRawResult<T>(await query, method);
          },
          { query: sql, ...loggerContext },
        );
      if (!observer) return run();
      const dialect = this.platform instanceof PostgreSqlPlatform ? 'postgresql' : 'sqlite';
      return observer({ sql, dialect }, run);
    }
  }
  return WithBoundParameters;
}

export class BoundSqliteConnection extends withBoundParameters(SqliteConnection) {
  private reader: SqliteReader | null = null;

  /**
   * One row of a select outside any transaction, on the connection of sqlite-reader.ts (a file
   * database; `:memory:` has nothing another connection could open, so it runs as `execute`).
   */
  async readOne<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    const path = this.config.get('dbName');
    if (!path || path === ':memory:')
      return this.execute<T & EntityData<AnyEntity>>(sql, params, 'get');
    const driver = (this.getKnex().client as { driver: Sqlite3Module }).driver;
    this.reader ??= new SqliteReader(driver, path, SQLITE_BUSY_TIMEOUT_MS);
    const reader = this.reader;
    sql = this.config.get('onQuery')(sql, params);
    const bound = bindParameters(this.platform as SqlitePlatform, sql, params);
    const run = () => reader.get<T>(bound.sql, bound.bindings);
    const observer = queryObservers.get(this.config);
    return observer ? observer({ sql, dialect: 'sqlite' }, run) : run();
  }

  override async close(force?: boolean): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    await reader?.close();
    await super.close(force);
  }
}

/**
 * A one-row read by key for the hot paths, as each database answers it fastest: outside a
 * transaction, on a SQLite file the read connection of sqlite-reader.ts, on PostgreSQL a pooled
 * connection without the ORM's pipeline (`readOne`); inside one (it must see its own writes),
 * through the transaction.
 */
export async function readOneRow<T extends Record<string, unknown>>(
  em: SqlEntityManager,
  sql: string,
  params: unknown[],
): Promise<T | undefined> {
  const connection = em.getConnection();
  if (
    (connection instanceof BoundSqliteConnection ||
      connection instanceof BoundPostgreSqlConnection) &&
    !em.isInTransaction()
  ) {
    return connection.readOne<T>(sql, params);
  }
  return (await connection.execute<T & EntityData<AnyEntity>>(
    sql,
    params,
    'get',
    em.getTransactionContext<Transaction>(),
  )) as T | undefined;
}
/** What this file needs of knex's PostgreSQL client and the pg client it pools. */
interface KnexPgClient {
  positionBindings(sql: string): string;
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<void>;
}
interface PgClient {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

export class BoundPostgreSqlConnection extends withBoundParameters(PostgreSqlConnection) {
  /**
   * One row of a select outside any transaction, on a connection of knex's pool but without
   * MikroORM's and knex's query pipeline (the hot paths' reads: raw-rows.ts in core): the SQL is
   * bound and numbered as `execute` would (`$1…`), and pg runs it.
   */
  async readOne<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    const client = this.getKnex().client as unknown as KnexPgClient;
    sql = this.config.get('onQuery')(sql, params);
    const bound = bindParameters(this.platform as PostgreSqlPlatform, sql, params);
    const text = client.positionBindings(bound.sql);
    const run = async () => {
      const connection = await client.acquireConnection();
      try {
        return (await connection.query({ text, values: bound.bindings })).rows[0] as T | undefined;
      } finally {
        await client.releaseConnection(connection);
      }
    };
    const observer = queryObservers.get(this.config);
    return observer ? observer({ sql, dialect: 'postgresql' }, run) : run();
  }
}

/** `SqliteDriver` with bound parameters (SqliteDriver 6.6.7 adds nothing but its constructor). */
export class BoundSqliteDriver extends AbstractSqlDriver<BoundSqliteConnection, SqlitePlatform> {
  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), BoundSqliteConnection, ['knex', 'sqlite3']);
  }
}

/** `PostgreSqlDriver` with bound parameters (6.6.7 adds nothing but its constructor). */
export class BoundPostgreSqlDriver extends AbstractSqlDriver<
  BoundPostgreSqlConnection,
  PostgreSqlPlatform
> {
  constructor(config: Configuration) {
    super(config, new PostgreSqlPlatform(), BoundPostgreSqlConnection, ['knex', 'pg']);
  }
}
