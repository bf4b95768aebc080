import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeQueries, readOneRow } from './bound-queries';
import { BoundSqliteConnection } from './bound-sqlite';
import { ApiKey } from './entities';
import { migrate, openOrm, type Em, type Orm } from './orm';

const tmp = mkdtempSync(join(tmpdir(), 'plugboard-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NAME_BY_ID = 'select name from api_keys where id = ?';
/** Inserts an API-key row (any table would do) named `name`. */
const insertKey = (em: Em, id: string, name: string) =>
  em.insert(ApiKey, {
    id,
    keyHash: id.padEnd(64, '0'),
    scopes: ['admin'],
    name,
    createdAt: new Date(),
  });

/** Resolves with 'pending' if `p` has not settled within `ms`. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe('hot one-row reads on a SQLite file (sqlite-reader.ts)', () => {
  let orm: Orm;
  let path: string;
  let n = 0;
  beforeEach(async () => {
    path = join(tmp, `reader-${++n}.db`);
    orm = await openOrm({ kind: 'sqlite', path });
    await migrate(orm);
  });
  afterEach(async () => orm.close());

  it('see what was committed on the ORM connection at once, with bound values', async () => {
    expect(await readOneRow(orm.em.fork(), NAME_BY_ID, ['key_a'])).toBeUndefined();
    await insertKey(orm.em.fork(), 'key_a', "it's a 'quoted' ?name");
    expect(await readOneRow(orm.em.fork(), NAME_BY_ID, ['key_a'])).toEqual({
      name: "it's a 'quoted' ?name",
    });
  });

  it('do not wait behind an open write transaction, and do not see its uncommitted rows', async () => {
    await insertKey(orm.em.fork(), 'key_b', 'committed');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedP = new Promise<void>((r) => (inserted = r));
    const writer = orm.em.fork().transactional(async (em) => {
      await insertKey(em, 'key_c', 'uncommitted');
      await em.nativeUpdate(ApiKey, { id: 'key_b' }, { name: 'changed, uncommitted' });
      inserted();
      await held;
    });
    await insertedP;
    // knex keeps one SQLite connection and the transaction holds it: through it, these reads
    // would wait for the commit.
    expect(await within(readOneRow(orm.em.fork(), NAME_BY_ID, ['key_b']), 2000)).toEqual({
      name: 'committed',
    });
    expect(await within(readOneRow(orm.em.fork(), NAME_BY_ID, ['key_c']), 2000)).toBeUndefined();
    release();
    await writer;
    expect(await readOneRow(orm.em.fork(), NAME_BY_ID, ['key_c'])).toEqual({
      name: 'uncommitted',
    });
  });

  it('inside a transaction, read through it and see its own writes', async () => {
    await orm.em.fork().transactional(async (em) => {
      await insertKey(em, 'key_d', 'mine');
      expect(await readOneRow(em, NAME_BY_ID, ['key_d'])).toEqual({ name: 'mine' });
    });
  });

  it('keep no read transaction open: a TRUNCATE checkpoint after reads empties the WAL', async () => {
    await insertKey(orm.em.fork(), 'key_e', 'x'.repeat(2000));
    for (let i = 0; i < 20; i++) await readOneRow(orm.em.fork(), NAME_BY_ID, ['key_e']);
    // Reads at once leave several kept statements idle: none of them may hold a snapshot.
    await Promise.all(
      Array.from({ length: 20 }, () => readOneRow(orm.em.fork(), NAME_BY_ID, ['key_e'])),
    );
    const result = await orm.em
      .getConnection()
      .execute<{ busy: number }>('pragma wal_checkpoint(TRUNCATE)', [], 'get');
    expect(result).toMatchObject({ busy: 0 });
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
  });

  it('answer reads at once, each with its own row, and refuse a text that does not prepare every time, reading on', async () => {
    for (let i = 0; i < 40; i++) await insertKey(orm.em.fork(), `key_${i}c`, `name ${i}`);
    const rows = await Promise.all(
      Array.from({ length: 40 }, (_, i) => readOneRow(orm.em.fork(), NAME_BY_ID, [`key_${i}c`])),
    );
    expect(rows).toEqual(Array.from({ length: 40 }, (_, i) => ({ name: `name ${i}` })));
    const bad = 'select nme from api_keys where id = ?';
    for (let i = 0; i < 2; i++) {
      await expect(readOneRow(orm.em.fork(), bad, ['key_1c'])).rejects.toThrow(/no such column/);
    }
    expect(await readOneRow(orm.em.fork(), NAME_BY_ID, ['key_1c'])).toEqual({ name: 'name 1' });
  });

  it('refuse to write (query_only), leaving the row as it was', async () => {
    await insertKey(orm.em.fork(), 'key_f', 'before');
    const connection = orm.em.getConnection();
    expect(connection).toBeInstanceOf(BoundSqliteConnection);
    await expect(
      (connection as BoundSqliteConnection).readOne("update api_keys set name = 'after'", []),
    ).rejects.toThrow(/readonly|query_only/i);
    expect(await readOneRow(orm.em.fork(), NAME_BY_ID, ['key_f'])).toEqual({ name: 'before' });
  });

  it('are seen by the query observer (traces), with placeholders and no values', async () => {
    const seen: string[] = [];
    observeQueries(orm, (q, run) => {
      seen.push(`${q.dialect}: ${q.sql}`);
      return run();
    });
    await readOneRow(orm.em.fork(), NAME_BY_ID, ['key_secret']);
    expect(seen).toEqual([`sqlite: ${NAME_BY_ID}`]);
  });

  it('close with the ORM: no file handle of the database stays open', async () => {
    await Promise.all(
      Array.from({ length: 8 }, () => readOneRow(orm.em.fork(), NAME_BY_ID, ['key_g'])),
    );
    const handles = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false; // closed while listing
        }
      }).length;
    expect(handles()).toBe(2); // the ORM's connection and the reader's
    // A read still in flight when the ORM closes finishes first (its statement is finalized after).
    const inFlight = readOneRow(orm.em.fork(), NAME_BY_ID, ['key_g']);
    await orm.close();
    await expect(inFlight).resolves.toBeUndefined();
    expect(handles()).toBe(0);
    orm = await openOrm({ kind: 'sqlite', path }); // for afterEach
  });
});
