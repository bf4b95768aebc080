import { observeQueries } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../testing';
import { findDue } from './due';

/** The background refresh's due query is a range of the (status, expiry) index, not a scan. */
describe('due query plan (SQLite)', () => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await createTestDeps();
  });
  afterAll(async () => t?.close());

  it('uses connections_status_access_token_expires_at_index, with no sort step', async () => {
    const seen: string[] = [];
    observeQueries(t.orm, (q, run) => {
      seen.push(q.sql);
      return run();
    });
    const now = t.clock.now();
    await findDue(t.em(), now, new Date(now.getTime() + 600_000), 10, ['zoom']);
    observeQueries(t.orm, null);
    const sql = seen.find((s) => /from [`"]connections[`"]/i.test(s))!;
    expect(sql).toBeTruthy();
    const params = (sql.match(/\?/g) ?? []).map(() => null);
    const plan = (await t.em().getConnection().execute(`explain query plan ${sql}`, params)) as {
      detail: string;
    }[];
    const detail = plan.map((p) => p.detail).join('\n');
    expect(detail).toContain('connections_status_access_token_expires_at_index');
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});
