/**
 * Run by lazy-driver.test.ts in a process of its own (`node --import tsx`): opens the database
 * given as JSON in argv[2], migrates it, runs a query, and prints the CommonJS modules the process
 * loaded (pg, sqlite3 and the MikroORM drivers are CommonJS, so `require.cache` lists them).
 */
import { createRequire } from 'node:module';
import { Connection } from './entities';
import { migrate, openOrm, type DatabaseConfig } from './orm';

const orm = await openOrm(JSON.parse(process.argv[2]!) as DatabaseConfig);
await migrate(orm);
await orm.em.fork().count(Connection, {});
await orm.close();
process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
