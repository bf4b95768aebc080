import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKey } from './entities';
import { compactAfterRewrite, migrate, openOrm } from './orm';

const tmp = mkdtempSync(join(tmpdir(), 'plugboard-scrub-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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
      expect(readFileSync(path).includes(marker)).toBe(true);
      await orm.em.fork().nativeDelete(ApiKey, { id: 'key_1' });
      expect(readFileSync(path).includes(marker)).toBe(false);
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
      expect(readFileSync(path).includes(marker)).toBe(true);
      expect(await compactAfterRewrite(orm.em.fork())).toBe(true);
      expect(readFileSync(path).includes(marker)).toBe(false);
    } finally {
      await orm.close();
    }
  });
});
