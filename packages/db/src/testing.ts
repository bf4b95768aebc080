import { randomBytes } from 'node:crypto';
import { openOrm } from './orm';

/** Creates an empty database on a test PostgreSQL server and returns its URL. */
export async function createPostgresTestDatabase(baseUrl: string): Promise<string> {
  const name = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = await openOrm({ kind: 'postgresql', url: baseUrl, poolMax: 1 });
  try {
    await admin.em.getConnection().execute(`create database "${name}"`);
  } finally {
    await admin.close();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the throw-away PostgreSQL the test run started (null where none is installed). */
    postgresUrl: string | null;
  }
}
