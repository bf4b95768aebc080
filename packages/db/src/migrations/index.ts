import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000000_initial as PgInitial } from './postgresql/Migration20261122000000_initial';
import { Migration20261122000000_initial as SqliteInitial } from './sqlite/Migration20261122000000_initial';

/**
 * Migrations are listed explicitly (not discovered from a folder) so they run the same from
 * source, in tests and from a bundle. Each dialect has its own: SQL differs.
 */
export const sqliteMigrations: MigrationObject[] = [
  { name: 'Migration20261122000000_initial', class: SqliteInitial },
];
export const postgresqlMigrations: MigrationObject[] = [
  { name: 'Migration20261122000000_initial', class: PgInitial },
];
