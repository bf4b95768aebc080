import type { Configuration } from '@mikro-orm/core';
// Everything from @mikro-orm/sqlite (it re-exports @mikro-orm/knex): the driver base, connection
// and platform then come from one copy of @mikro-orm/knex and knex, the one pnpm resolved with
// sqlite3 (https://pnpm.io/how-peers-are-resolved).
import { AbstractSqlDriver, MikroORM, SqliteConnection, SqlitePlatform } from '@mikro-orm/sqlite';
import type { AnyEntity, EntityData } from '@mikro-orm/core';
import {
  boundRead,
  withBoundParameters,
  type BoundDriver,
  type OneRowReads,
} from './bound-queries';
import { SQLITE_BUSY_TIMEOUT_MS, SqliteReader, type Sqlite3Module } from './sqlite-reader';

/** The SQLite side of bound-queries.ts, loaded by openOrm only for a SQLite database. */
export { MikroORM as SqliteORM };

export class BoundSqliteConnection
  extends withBoundParameters(SqliteConnection, 'sqlite')
  implements OneRowReads
{
  private reader: SqliteReader | null = null;

  /**
   * One row of a select outside any transaction, on the connection of sqlite-reader.ts (a file
   * database; `:memory:` has nothing another connection could open, so it runs as `execute`).
   */
  async readOne<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    const path = this.config.get('dbName');
    if (!path || path === ':memory:') {
      return this.execute<T & EntityData<AnyEntity>>(sql, params, 'get');
    }
    const driver = (this.getKnex().client as { driver: Sqlite3Module }).driver;
    const reader = (this.reader ??= new SqliteReader(driver, path, SQLITE_BUSY_TIMEOUT_MS));
    return boundRead(this.config, this.platform, 'sqlite', sql, params, (bound) =>
      reader.get<T>(bound.sql, bound.bindings),
    );
  }

  override async close(force?: boolean): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    await reader?.close();
    await super.close(force);
  }
}

/** `SqliteDriver` with bound parameters (SqliteDriver 6.6.7 adds nothing but its constructor). */
export class BoundSqliteDriver
  extends AbstractSqlDriver<BoundSqliteConnection, SqlitePlatform>
  implements BoundDriver
{
  readonly dialect = 'sqlite';

  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), BoundSqliteConnection, ['knex', 'sqlite3']);
  }
}
