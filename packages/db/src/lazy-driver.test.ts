import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseConfig } from './orm';
import { createPostgresTestDatabase } from './testing';

/**
 * openOrm loads only the database's own driver (issue 13, memory): a SQLite server never loads
 * pg, @mikro-orm/postgresql and the copy of knex pnpm resolved for them, and a PostgreSQL one
 * never loads sqlite3. Checked in a fresh process, since a test worker may have loaded either.
 */
const postgresUrl = inject('postgresUrl');
const tmp = mkdtempSync(join(tmpdir(), 'plugboard-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = fileURLToPath(new URL('./lazy-driver.fixture.ts', import.meta.url));

async function modulesLoadedBy(config: DatabaseConfig): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fixture, JSON.stringify(config)],
    { cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  return JSON.parse(stdout) as string[];
}

// Code only: MikroORM reads every installed @mikro-orm/* package.json to check their versions.
const PG = /[/\\]node_modules[/\\](pg|@mikro-orm[/\\]postgresql)[/\\].*\.js$/;
const SQLITE = /[/\\]node_modules[/\\](sqlite3|@mikro-orm[/\\]sqlite)[/\\].*\.js$/;

describe('openOrm loads one driver', () => {
  it('on SQLite: sqlite3, and nothing of PostgreSQL', async () => {
    const loaded = await modulesLoadedBy({ kind: 'sqlite', path: join(tmp, 'lazy.db') });
    expect(loaded.filter((m) => SQLITE.test(m)).length).toBeGreaterThan(0);
    expect(loaded.filter((m) => PG.test(m))).toEqual([]);
  });

  it.runIf(postgresUrl)('on PostgreSQL: pg, and nothing of SQLite', async () => {
    const url = await createPostgresTestDatabase(postgresUrl!);
    const loaded = await modulesLoadedBy({ kind: 'postgresql', url });
    expect(loaded.filter((m) => PG.test(m)).length).toBeGreaterThan(0);
    expect(loaded.filter((m) => SQLITE.test(m))).toEqual([]);
  });
});
