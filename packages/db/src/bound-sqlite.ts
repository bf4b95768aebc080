import type { Configuration } from '@mikro-orm/core';
// Everything from @mikro-orm/sqlite (it re-exports @mikro-orm/knex): the driver base, connection
// and platform then come from one copy of @mikro-orm/knex and knex, the one pnpm resolved with
// sqlite3 (https://pnpm.io/how-peers-are-resolved).
import { AbstractSqlDriver, MikroORM, SqliteConnection, SqlitePlatform } from '@mikro-orm/sqlite';
import { withBoundParameters, type BoundDriver } from './bound-queries';

/** The SQLite side of bound-queries.ts, loaded by openOrm only for a SQLite database. */
export { MikroORM as SqliteORM };

export class BoundSqliteConnection extends withBoundParameters(SqliteConnection, 'sqlite') {}

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
