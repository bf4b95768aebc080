import { createPlugboardClient, type PlugboardClient } from '@plugboard/client';
import { ManualClock, newId, VERDICT_TTL_MS } from '@plugboard/core';
import { AuditEntry, observeQueries } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * What one `server.connections.credentials` call costs the database (issue 13, item 1): the
 * statements the server sends, watched through the ORM's query observer. Timing is measured in
 * `pnpm bench` (credentials.bench.ts), not here; these are the properties that make it fast and
 * must not regress: one one-row select per read (two when the key's verdict is older than
 * `VERDICT_TTL_MS`), no transaction, `lastUsedAt` written once a
 * minute, and concurrent reads' audit entries committed together — every entry still there.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('credentials hot path on %s', (_db, database) => {
  const apiKey = newId('pk_');
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  let stack: TestStack;
  let plugboard: PlugboardClient;
  let connectionId = '';
  let statements: string[] = [];

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      clock,
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, WEBHOOK_POLL_MS: '0', RATE_LIMIT: 'off' },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const link = await plugboard.connectTokens.create.mutate({ externalUserId: 'hot' });
    const browser = new BrowserAgent(stack.url);
    await browser.navigate(link.connectLinkUrl);
    const attempt = await browser.connect(stack.url, 'notion');
    connectionId = attempt.connection!.id;
    observeQueries(stack.orm, (q, run) => {
      statements.push(q.sql.toLowerCase());
      return run();
    });
  });
  afterAll(async () => {
    if (stack) observeQueries(stack.orm, null);
    await stack?.close();
  });

  const read = async () => {
    statements = [];
    const creds = await plugboard.connections.credentials.mutate({ connectionId });
    expect(creds.connectionId).toBe(connectionId);
    return [...statements];
  };

  it('reads the key (at most once a VERDICT_TTL_MS) and the connection with one select each; no transaction, no lastUsedAt write within the minute', async () => {
    clock.advance(61);
    const first = await read();
    // The first use in a new minute records lastUsedAt.
    expect(first.filter((s) => s.startsWith('update') && s.includes('api_keys'))).toHaveLength(1);
    // Within the verdict cache's bound (services/api-keys.ts): the key is not read again.
    const second = await read();
    expect(second.filter((s) => s.startsWith('select'))).toHaveLength(1);
    expect(second.filter((s) => s.includes('api_keys'))).toHaveLength(0);
    expect(second.filter((s) => s.includes('connections'))).toHaveLength(1);
    expect(second.some((s) => /^(begin|savepoint|commit)/.test(s))).toBe(false);
    expect(second.some((s) => s.startsWith('update'))).toBe(false);
    expect(second.filter((s) => s.startsWith('insert'))).toHaveLength(1); // its audit entry

    // Past the bound the key's row is read again (so a revocation elsewhere is seen).
    await new Promise((r) => setTimeout(r, VERDICT_TTL_MS + 50));
    const reread = await read();
    expect(reread.filter((s) => s.startsWith('select'))).toHaveLength(2);
    expect(reread.filter((s) => s.includes('api_keys'))).toHaveLength(1);

    clock.advance(61);
    const later = await read();
    expect(later.filter((s) => s.startsWith('update') && s.includes('api_keys'))).toHaveLength(1);
  });

  it('commits concurrent reads’ audit entries together, and every read has its entry', async () => {
    const em = stack.orm.em.fork();
    const before = await em.count(AuditEntry, { action: 'credentials.read', connectionId });
    statements = [];
    await Promise.all(
      Array.from({ length: 20 }, () => plugboard.connections.credentials.mutate({ connectionId })),
    );
    const inserts = statements.filter((s) => s.startsWith('insert into') && s.includes('audit'));
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts.length).toBeLessThan(20);
    expect(await em.count(AuditEntry, { action: 'credentials.read', connectionId })).toBe(
      before + 20,
    );
  });

  it('answers exactly as tRPC’s adapter does, single call or batch of one (routes/trpc-lean.ts)', async () => {
    const path = '/trpc/server.connections.credentials';
    const call = async (url: string, body: string, key: string | null = apiKey) => {
      const res = await fetch(`${stack.url}${url}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body,
      });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
    };
    const inputs: [unknown, string | null][] = [
      [{ connectionId }, apiKey],
      [{ connectionId: 'conn_doesnotexist000000000000' }, apiKey],
      [{ connectionId: 5 }, apiKey],
      [{ connectionId }, null],
      [{ connectionId }, newId('pk_')],
    ];
    for (const [input, key] of inputs) {
      const single = await call(path, JSON.stringify(input), key);
      const batchOfOne = await call(`${path}?batch=1`, JSON.stringify({ 0: input }), key);
      // Two calls in one batch: only tRPC's own adapter takes those.
      const viaAdapter = await call(
        `/trpc/server.connections.credentials,server.connections.credentials?batch=1`,
        JSON.stringify({ 0: input, 1: input }),
        key,
      );
      expect(single.type).toBe(viaAdapter.type);
      expect(batchOfOne.status).toBe(single.status);
      expect(viaAdapter.status).toBe(single.status);
      expect(batchOfOne.body).toEqual([single.body]);
      expect(viaAdapter.body).toEqual([single.body, single.body]);
    }
    // Shapes it does not take go to the adapter: bad JSON is tRPC's PARSE_ERROR → VALIDATION_FAILED.
    const bad = await call(path, '{not json');
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { data: { code: string } } }).error.data.code).toBe(
      'VALIDATION_FAILED',
    );
  });
});
