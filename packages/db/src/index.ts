export * from './entities';
export * from './orm';
export { postgresqlMigrations, sqliteMigrations } from './migrations';
export { observeQueries, readOneRow, type QueryObserver } from './bound-queries';
