export * from './entities';
export * from './orm';
export { postgresqlMigrations, sqliteMigrations } from './migrations';
