import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKey } from './entities';
import { compactAfterRewrite, migrate, openOrm } from './orm';

const tmp = mkdtempSync(join(tmpdir(), 'plugboard-scrub-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The database's bytes on disk: the file and, in WAL mode, its -wal file. */
const onDisk = (path: string): Buffer =>
  Buffer.concat([path, `${path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
const checkpoint = (orm: Awaited<ReturnType<typeof openOrm>>) =>
  orm.em.getConnection().execute('pragma wal_checkpoint(TRUNCATE)', [], 'run');

describe('SQLite file scrubbing', () => {
  it('overwrites what is deleted (secure_delete on every connection)', async () => {
    const path = join(tmp, 'delete.db');
    const orm = await openOrm({ kind: 'sqlite', path });
    try {
      await migrate(orm);
      const marker = `deleted-${'x'.repeat(40)}`;
      await orm.em.fork().insert(ApiKey, {
        id: 'key_1',
        keyHash: 'a'.repeat(64),
        scopes: ['admin'],
        name: marker,
        createdAt: new Date(),
      });
      expect(onDisk(path).includes(marker)).toBe(true);
      await orm.em.fork().nativeDelete(ApiKey, { id: 'key_1' });
      await checkpoint(orm);
      expect(onDisk(path).includes(marker)).toBe(false);
    } finally {
      await orm.close();
    }
  });

  it('compactAfterRewrite leaves nothing of what was freed before secure_delete was on', async () => {
    const path = join(tmp, 'vacuum.db');
    const orm = await openOrm({ kind: 'sqlite', path });
    try {
      await migrate(orm);
      await orm.em.getConnection().execute('pragma secure_delete = off');
      const marker = `freed-${'y'.repeat(40)}`;
      await orm.em.fork().insert(ApiKey, {
        id: 'key_2',
        keyHash: 'b'.repeat(64),
        scopes: ['admin'],
        name: marker,
        createdAt: new Date(),
      });
      await orm.em.fork().nativeDelete(ApiKey, { id: 'key_2' });
      await checkpoint(orm);
      expect(onDisk(path).includes(marker)).toBe(true);
      expect(await compactAfterRewrite(orm.em.fork())).toBe(true);
      expect(onDisk(path).includes(marker)).toBe(false);
    } finally {
      await orm.close();
    }
  });

  it('runs in WAL mode with synchronous = NORMAL on every connection (commits wait for no fsync)', async () => {
    const orm = await openOrm({ kind: 'sqlite', path: join(tmp, 'wal.db') });
    try {
      const conn = orm.em.getConnection();
      expect(await conn.execute('pragma journal_mode', [], 'get')).toEqual({ journal_mode: 'wal' });
      // 1 = NORMAL (https://www.sqlite.org/pragma.html#pragma_synchronous)
      expect(await conn.execute('pragma synchronous', [], 'get')).toEqual({ synchronous: 1 });
    } finally {
      await orm.close();
    }
  });
});
