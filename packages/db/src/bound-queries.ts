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
import type {
  AbstractSqlConnection,
  AbstractSqlPlatform,
  Knex,
  SqlEntityManager,
} from '@mikro-orm/knex';

/**
 * MikroORM 6 does not bind query parameters: `AbstractSqlConnection.execute` runs every value
 * through `platform.formatQuery` into the SQL text and hands knex a bare `raw(sql)` (see
 * node_modules/@mikro-orm/knex/AbstractSqlConnection.js, and the maintainers on it in
 * https://github.com/mikro-orm/mikro-orm/issues/6827). The escaping is correct, but a value still
 * travels as SQL: a NUL truncates the statement in SQLite's C API and breaks PostgreSQL's wire
 * protocol (`08P01`), and every statement text is unique. These connections keep MikroORM's query
 * building and send the values as real bind parameters (`$1…` on pg, `?` on sqlite3) instead.
 * `bound-queries.test.ts` watches the SQL the drivers receive to prove no value is inlined.
 *
 * This module loads neither driver: the SQLite classes are in bound-sqlite.ts and the PostgreSQL
 * ones in bound-postgresql.ts, and openOrm imports only the one the database needs, so a SQLite
 * server never loads pg, @mikro-orm/postgresql and their copy of knex (nor a PostgreSQL one
 * sqlite3). Code that must tell them apart asks `dialectOf`, not `instanceof`.
 */

export type Dialect = 'sqlite' | 'postgresql';

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
  dialect: Dialect,
  platform: AbstractSqlPlatform,
  sql: string,
  params: readonly unknown[],
): Bound {
  // The usual statement (every hot one): one plain value per `?` and no identifier. The text is
  // then already what the rewrite below would produce, and the bindings are the values turned —
  // no copy of the text a character at a time (~9% of a credentials call's allocations, issue 13).
  if (onlyPlainValues(sql, params)) {
    return { sql, bindings: params.map((v) => bindable(dialect, platform, v)) };
  }
  const bindings: unknown[] = [];
  let j = 0;
  let out = '';
  const value = (v: unknown): string => {
    if (Utils.isRawSql(v)) {
      const inner = bindParameters(dialect, platform, v.sql, v.params ?? []);
      bindings.push(...inner.bindings);
      return inner.sql;
    }
    if (isList(v)) return v.map(value).join(', ');
    bindings.push(bindable(dialect, platform, v));
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

/** Whether `sql` has no `??` and one `?` (an escaped `\?` is none) per value, none raw SQL or a list. */
function onlyPlainValues(sql: string, params: readonly unknown[]): boolean {
  if (sql.includes('??')) return false;
  if (params.some((v) => Utils.isRawSql(v) || isList(v))) return false;
  let marks = 0;
  for (let i = sql.indexOf('?'); i !== -1; i = sql.indexOf('?', i + 1)) {
    if (sql[i - 1] !== '\\') marks++;
  }
  return marks === params.length;
}

/** A list of values (`in (?)`), written as one mark each; an array for a JSON column is one value. */
function isList(v: unknown): v is unknown[] {
  return Array.isArray(v) && !(v as { [JsonProperty]?: boolean })[JsonProperty];
}

/** PostgreSqlPlatform's date format (a type only: this module does not load the pg side). */
interface PostgreSqlDates {
  formatDate(date: Date): string;
}

function bindable(dialect: Dialect, platform: AbstractSqlPlatform, v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) {
    // What quoteValue inlines: epoch milliseconds on SQLite, the platform's timestamp on pg.
    return dialect === 'postgresql'
      ? (platform as AbstractSqlPlatform & PostgreSqlDates).formatDate(v)
      : v.getTime();
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
  query: { sql: string; dialect: Dialect },
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
export function withBoundParameters<TBase extends AnyConnectionClass>(
  Base: TBase,
  dialect: Dialect,
) {
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
      const bound = bindParameters(dialect, this.platform, sql, params);
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
      return observer({ sql, dialect }, run);
    }
  }
  return WithBoundParameters;
}

/**
 * One-row reads for the hot paths outside a transaction, as each connection answers them
 * fastest (bound-sqlite.ts: a read connection of its own; bound-postgresql.ts: a pooled
 * connection without the ORM's query pipeline).
 */
export interface OneRowReads {
  readOne<T>(sql: string, params: unknown[]): Promise<T | undefined>;
}

/**
 * A `readOne`'s SQL as `execute` prepares it (the `onQuery` hook, bound parameters), run by
 * `run` under the ORM's query observer (traces), if one is set.
 */
export function boundRead<T>(
  config: Configuration,
  platform: AbstractSqlPlatform,
  dialect: Dialect,
  sql: string,
  params: unknown[],
  run: (bound: Bound) => Promise<T>,
): Promise<T> {
  const text = config.get('onQuery')(sql, params);
  const bound = bindParameters(dialect, platform, text, params);
  const observer = queryObservers.get(config);
  return observer ? observer({ sql: text, dialect }, () => run(bound)) : run(bound);
}

/**
 * A one-row read by key for the hot paths (core's raw-rows.ts): outside a transaction, the
 * connection's `readOne`; inside one (it must see its own writes), through the transaction.
 */
export async function readOneRow<T extends Record<string, unknown>>(
  em: SqlEntityManager,
  sql: string,
  params: unknown[],
): Promise<T | undefined> {
  const connection = em.getConnection() as AbstractSqlConnection & Partial<OneRowReads>;
  if (connection.readOne && !em.isInTransaction()) return connection.readOne<T>(sql, params);
  return (await connection.execute<T & EntityData<AnyEntity>>(
    sql,
    params,
    'get',
    em.getTransactionContext<Transaction>(),
  )) as T | undefined;
}

/** What bound-sqlite.ts's and bound-postgresql.ts's drivers carry, read by `dialectOf`. */
export interface BoundDriver {
  readonly dialect: Dialect;
}

/** The database behind an ORM's driver (one opened by openOrm). */
export function dialectOf(driver: object): Dialect {
  const { dialect } = driver as Partial<BoundDriver>;
  if (dialect !== 'sqlite' && dialect !== 'postgresql') {
    throw new Error('not a driver of openOrm (bound-sqlite.ts or bound-postgresql.ts)');
  }
  return dialect;
}
