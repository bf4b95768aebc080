export * from './entities';
export * from './orm';
export { postgresqlMigrations, sqliteMigrations } from './migrations';
export {
  dialectOf,
  observeQueries,
  readOneRow,
  type Dialect,
  type QueryObserver,
} from './bound-queries';
