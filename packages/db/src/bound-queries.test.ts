import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { raw } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';
import { bindParameters, readOneRow } from './bound-queries';
import { Connection } from './entities';
import { migrate, openOrm, type DatabaseConfig, type Orm } from './orm';
import { createPostgresTestDatabase } from './testing';

/**
 * Values travel as bind parameters, never as SQL text (bound-queries.ts): every statement the
 * knex client hands to the driver is captured, and a sentinel written, searched, updated and
 * deleted through the ORM must show up only among the bindings.
 */
const postgresUrl = inject('postgresUrl');
const tmp = mkdtempSync(join(tmpdir(), 'plugboard-bound-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const databases: [string, () => Promise<DatabaseConfig>][] = [
  ['sqlite', async () => ({ kind: 'sqlite', path: join(tmp, 'bound.db') })],
  ...(postgresUrl
    ? [
        [
          'postgresql',
          async () => ({
            kind: 'postgresql' as const,
            url: await createPostgresTestDatabase(postgresUrl),
          }),
        ] as [string, () => Promise<DatabaseConfig>],
      ]
    : []),
];

describe('bindParameters', () => {
  const platform = new SqlitePlatform();

  it('turns every value into a binding and keeps identifiers and escaped marks in the text', () => {
    const when = new Date('2026-01-02T03:04:05.006Z');
    const inner = raw('lower(?)', ['Inner']);
    const bound = bindParameters(
      'sqlite',
      platform,
      'select ?? from t where a = ? and b in (?) and c = ? and d = ? and e = ? and f \\? x',
      ['col', "it's", ['x', 'y'], { k: [1] }, when, inner],
    );
    expect(bound.sql).toBe(
      'select `col` from t where a = ? and b in (?, ?) and c = ? and d = ? and e = lower(?) and f \\? x',
    );
    expect(bound.bindings).toEqual(["it's", 'x', 'y', '{"k":[1]}', when.getTime(), 'Inner']);
  });

  it('keeps the text of a statement with plain values only and turns each value', () => {
    const when = new Date('2026-01-02T03:04:05.006Z');
    const sql = 'insert into t (a, b, c, d, e) values (?, ?, ?, ?, ?) -- f \\? x';
    const bound = bindParameters('sqlite', platform, sql, [1, when, { k: 1 }, undefined, 'it?s']);
    expect(bound.sql).toBe(sql);
    expect(bound.bindings).toEqual([1, when.getTime(), '{"k":1}', null, 'it?s']);
  });

  it('binds only the values the text has marks for, like the rewrite does', () => {
    expect(bindParameters('sqlite', platform, 'select 1 where a = ?', [1, 2])).toEqual({
      sql: 'select 1 where a = ?',
      bindings: [1],
    });
    expect(bindParameters('sqlite', platform, 'select 1 where a = ? and b = ?', [1])).toEqual({
      sql: 'select 1 where a = ? and b = ?',
      bindings: [1, null],
    });
  });
});

/** A minimal connection row. */
const connectionRow = (id: string, externalUserId: string, label: string) => {
  const now = new Date();
  return {
    id,
    providerId: 'notion',
    externalUserId,
    accountId: 'acct',
    label,
    status: 'active' as const,
    credentialsEnc: 'x',
    metadata: {},
    scopes: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
};

describe.each(databases)('queries on %s', (kind, config) => {
  let orm: Orm;
  const seen: { sql: string; bindings: unknown[] }[] = [];

  beforeAll(async () => {
    orm = await openOrm(await config());
    await migrate(orm);
    orm.em
      .getConnection()
      .getKnex()
      .on('query', (q: { sql: string; bindings?: unknown[] }) =>
        seen.push({ sql: q.sql, bindings: q.bindings ?? [] }),
      );
  });
  afterAll(async () => orm?.close());

  it('sends every value as a binding and reads it back unchanged', async () => {
    const sentinel = `sentinel${randomBytes(6).toString('hex')}`;
    // Quotes, placeholders and comment markers that inlining would have to escape.
    const label = `it's ? $1 \\ -- ${sentinel}`;
    const createdAt = new Date('2026-03-04T05:06:07.089Z');
    const id = `conn_${sentinel}`;
    const em = orm.em.fork();
    em.create(Connection, {
      id,
      providerId: 'notion',
      externalUserId: `user-${sentinel}`,
      accountId: `acct-${sentinel}`,
      label,
      status: 'active',
      credentialsEnc: `v1.k.${sentinel}`,
      metadata: { providerId: 'notion', note: sentinel, nested: { list: [sentinel, 1, true] } },
      scopes: [`read:${sentinel}`, 'write'],
      accessTokenExpiresAt: null,
      version: 1,
      createdAt,
      updatedAt: createdAt,
    });
    await em.flush();

    const read = orm.em.fork();
    const found = await read.find(
      Connection,
      {
        externalUserId: { $in: [`user-${sentinel}`, `other-${sentinel}`] },
        $or: [{ createdAt: { $lt: new Date('2027-01-01T00:00:00Z') } }, { label }],
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 5 },
    );
    expect(found).toHaveLength(1);
    const row = found[0]!;
    expect(row.label).toBe(label);
    expect(row.metadata).toEqual({
      providerId: 'notion',
      note: sentinel,
      nested: { list: [sentinel, 1, true] },
    });
    expect(row.scopes).toEqual([`read:${sentinel}`, 'write']);
    expect(row.createdAt.toISOString()).toBe(createdAt.toISOString());

    const updated = await orm.em
      .fork()
      .nativeUpdate(Connection, { id, version: 1 }, { label: `new ${sentinel}`, version: 2 });
    expect(updated).toBe(1);
    expect(await orm.em.fork().count(Connection, { label: `new ${sentinel}` })).toBe(1);
    expect(await orm.em.fork().nativeDelete(Connection, { id })).toBe(1);

    const withSentinel = seen.filter((q) => JSON.stringify(q.bindings).includes(sentinel));
    // insert, select, update, count, delete: each carried the sentinel as a binding …
    expect(withSentinel.length).toBeGreaterThanOrEqual(5);
    expect(withSentinel.map((q) => q.sql.split(' ')[0]!.toLowerCase())).toEqual(
      expect.arrayContaining(['insert', 'select', 'update', 'delete']),
    );
    // … and no statement ever had it (or the date) in its text.
    for (const q of seen) {
      expect(q.sql).not.toContain(sentinel);
      expect(q.sql).not.toContain('2026-03-04');
      expect(q.sql).not.toContain(String(createdAt.getTime()));
    }
  });

  it('reads one row with readOneRow outside a transaction and inside one (its own writes), values bound', async () => {
    const sentinel = `one${randomBytes(6).toString('hex')}`;
    const id = `conn_${sentinel}`;
    const label = `it's ? $1 \\ -- ${sentinel}`;
    await orm.em.fork().insert(Connection, connectionRow(id, `user-${sentinel}`, label));
    const byLabel = 'select id, label from connections where label = ? and id = ?';
    expect(await readOneRow(orm.em.fork(), byLabel, [label, id])).toEqual({ id, label });
    expect(await readOneRow(orm.em.fork(), byLabel, ['other', id])).toBeUndefined();
    await orm.em.fork().transactional(async (em) => {
      await em.nativeUpdate(Connection, { id }, { label: 'changed inside' });
      // Another connection (the SQLite reader, another pooled pg connection) would not see it.
      expect(await readOneRow(em, 'select label from connections where id = ?', [id])).toEqual({
        label: 'changed inside',
      });
    });
  });

  it('hands a NUL to the database as data, not as the end of the statement', async () => {
    // Inlined, `'a\0b'` cut SQLite's statement short (SQLITE_ERROR) and broke PostgreSQL's wire
    // protocol (08P01). Bound, SQLite stores it, and PostgreSQL, whose text cannot hold a NUL,
    // refuses the value itself (22021) — the API refuses NUL long before (safeString).
    const id = `conn_nul${randomBytes(6).toString('hex')}`;
    const em = orm.em.fork();
    em.create(Connection, connectionRow(id, 'a\u0000b', 'l'));
    if (kind === 'postgresql') {
      await expect(em.flush()).rejects.toMatchObject({ code: '22021' });
      return;
    }
    await em.flush();
    const row = await orm.em.fork().findOneOrFail(Connection, { externalUserId: 'a\u0000b' });
    expect(row.id).toBe(id);
  });
});
