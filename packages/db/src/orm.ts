import { MikroORM as SqliteORM } from '@mikro-orm/sqlite';
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BoundPostgreSqlDriver, BoundSqliteDriver } from './bound-queries';
import { entities } from './entities';
import { postgresqlMigrations, sqliteMigrations } from './migrations';

export type Orm = MikroORM<AbstractSqlDriver, SqlEntityManager>;
export type Em = SqlEntityManager;

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
 */
export async function openOrm(
  config: DatabaseConfig,
  opts: { debug?: boolean } = {},
): Promise<Orm> {
  const common = {
    entities,
    debug: opts.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    extensions: [Migrator],
  };
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    return (await SqliteORM.init({
      ...common,
      driver: BoundSqliteDriver,
      dbName: config.path,
      migrations: {
        migrationsList: sqliteMigrations,
        transactional: true,
        snapshot: false,
        silent: true,
      },
    })) as unknown as Orm;
  }
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

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
