import { ApiKey, migrate, openOrm, type DatabaseConfig } from '@plugboard/db';
import { createPostgresTestDatabase } from '@plugboard/db/testing';
import { describe, expect, inject, it } from 'vitest';
import { errorSummary } from './error-summary';

const pgUrl = inject('postgresUrl');
const databases: [string, () => Promise<DatabaseConfig>][] = [
  ['sqlite', async () => ({ kind: 'sqlite', path: ':memory:' })],
];
if (pgUrl) {
  databases.push([
    'postgresql',
    async () => ({ kind: 'postgresql', url: await createPostgresTestDatabase(pgUrl) }),
  ]);
}

describe.each(databases)('errorSummary of a real %s error', (_name, database) => {
  it('keeps the code and drops the statement and its values', async () => {
    const orm = await openOrm(await database());
    try {
      await migrate(orm);
      const keyHash = 'f'.repeat(64);
      const row = { keyHash, name: 'a', scopes: ['admin'], createdAt: new Date() };
      await orm.em.fork().insert(ApiKey, { id: 'key_1', ...row });
      const err = await orm.em
        .fork()
        .insert(ApiKey, { id: 'key_2', ...row })
        .then(
          () => null,
          (e: unknown) => e,
        );
      // What the driver says embeds the SQL and the duplicate value…
      expect(String((err as Error).message)).toContain(keyHash);
      // …what we log and print does not.
      const wrapped = Object.assign(
        new Error(`Migration m1 (up) failed: Original error: ${(err as Error).message}`, {
          cause: err,
        }),
        { migration: { name: 'm1' } },
      );
      for (const summary of [errorSummary(err), errorSummary(wrapped, { maxLength: 4000 })]) {
        const text = JSON.stringify(summary);
        expect(text).not.toContain(keyHash);
        expect(text.toLowerCase()).not.toContain('insert');
        expect(summary.message).toMatch(/database error (SQLITE_CONSTRAINT|23505)/);
      }
      expect(errorSummary(wrapped).message).toMatch(/^migration m1 failed: database error/);
    } finally {
      await orm.close();
    }
  });
});
