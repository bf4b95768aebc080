import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openOrm } from './orm';

// The sqlite3 driver MikroORM's SQLite package uses (the one openOrm's connections run on).
interface RawDb {
  exec(sql: string, cb: (err: Error | null) => void): void;
  close(cb: (err: Error | null) => void): void;
}
const requireFromOrm = createRequire(fileURLToPath(import.meta.resolve('@mikro-orm/sqlite')));
const sqlite3 = requireFromOrm('sqlite3') as { Database: new (path: string) => RawDb };
const exec = (db: RawDb, sql: string) =>
  new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));

const tmp = mkdtempSync(join(tmpdir(), 'plugboard-wal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('opening a SQLite file another process is writing', () => {
  it('waits for the WAL switch instead of failing with SQLITE_BUSY', async () => {
    // Another process's connection on a fresh file (still a rollback journal) is in a write
    // transaction, as a second instance starting at the same moment is for an instant. Without the
    // retry the WAL switch fails at once with SQLITE_BUSY (the busy timeout is not consulted).
    const path = join(tmp, 'fresh.db');
    const other = new sqlite3.Database(path);
    await exec(other, 'create table t (x integer); begin immediate; insert into t values (1);');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => void exec(other, 'commit').then(resolve), 300),
    );

    const orm = await openOrm({ kind: 'sqlite', path });
    try {
      await released;
      const [mode] = await orm.em
        .getConnection()
        .execute<{ journal_mode: string }[]>('pragma journal_mode');
      expect(mode?.journal_mode).toBe('wal');
    } finally {
      await orm.close();
      await new Promise((r) => other.close(r));
    }
  });
});
