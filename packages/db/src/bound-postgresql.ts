import type { Configuration } from '@mikro-orm/core';
// Everything from @mikro-orm/postgresql (it re-exports @mikro-orm/knex): one copy of
// @mikro-orm/knex and knex, the one pnpm resolved with pg (https://pnpm.io/how-peers-are-resolved).
import {
  AbstractSqlDriver,
  MikroORM,
  PostgreSqlConnection,
  PostgreSqlPlatform,
} from '@mikro-orm/postgresql';
import {
  boundRead,
  withBoundParameters,
  type BoundDriver,
  type OneRowReads,
} from './bound-queries';

/** The PostgreSQL side of bound-queries.ts, loaded by openOrm only for a PostgreSQL database. */
export { MikroORM as PostgresORM };

/** What this file needs of knex's PostgreSQL client and the pg client it pools. */
interface KnexPgClient {
  positionBindings(sql: string): string;
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<void>;
}
interface PgClient {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

export class BoundPostgreSqlConnection
  extends withBoundParameters(PostgreSqlConnection, 'postgresql')
  implements OneRowReads
{
  /**
   * One row of a select outside any transaction, on a connection of knex's pool but without
   * MikroORM's and knex's query pipeline (the hot paths' reads: raw-rows.ts in core): the SQL is
   * bound and numbered as `execute` would (`$1…`), and pg runs it.
   */
  async readOne<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    const client = this.getKnex().client as unknown as KnexPgClient;
    return boundRead(this.config, this.platform, 'postgresql', sql, params, async (bound) => {
      const text = client.positionBindings(bound.sql);
      const connection = await client.acquireConnection();
      try {
        return (await connection.query({ text, values: bound.bindings })).rows[0] as T | undefined;
      } finally {
        await client.releaseConnection(connection);
      }
    });
  }
}

/** `PostgreSqlDriver` with bound parameters (6.6.7 adds nothing but its constructor). */
export class BoundPostgreSqlDriver
  extends AbstractSqlDriver<BoundPostgreSqlConnection, PostgreSqlPlatform>
  implements BoundDriver
{
  readonly dialect = 'postgresql';

  constructor(config: Configuration) {
    super(config, new PostgreSqlPlatform(), BoundPostgreSqlConnection, ['knex', 'pg']);
  }
}
