import type { Configuration } from '@mikro-orm/core';
// Everything from @mikro-orm/postgresql (it re-exports @mikro-orm/knex): one copy of
// @mikro-orm/knex and knex, the one pnpm resolved with pg (https://pnpm.io/how-peers-are-resolved).
import {
  AbstractSqlDriver,
  MikroORM,
  PostgreSqlConnection,
  PostgreSqlPlatform,
} from '@mikro-orm/postgresql';
import { withBoundParameters, type BoundDriver } from './bound-queries';

/** The PostgreSQL side of bound-queries.ts, loaded by openOrm only for a PostgreSQL database. */
export { MikroORM as PostgresORM };

export class BoundPostgreSqlConnection extends withBoundParameters(
  PostgreSqlConnection,
  'postgresql',
) {}

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
