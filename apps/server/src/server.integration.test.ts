import { newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from './app';
import { loadEnv } from './env';
import { loadKeyring, openDatabase } from './runtime';
import { BrowserAgent, startTestStack, type TestStack } from './testing';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('server behaviour around the flows', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('reports health with a database check', async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('sets protective headers on every response', async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('an unexpected failure reaches the client as INTERNAL with no SQL, stack or detail', async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    // Break the database under the server: the query fails with an SQL error.
    await stack.orm.em
      .getConnection()
      .execute('alter table connections rename to connections_gone');
    try {
      const res = await agent.fetch(`${stack.url}/trpc/connect.connections.list`, {
        headers: { origin: stack.url },
      });
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({
        error: {
          code: -32603,
          message:
            'Something went wrong on our side. Try again; if it keeps happening, contact support.',
          data: { code: 'INTERNAL', httpStatus: 500 },
        },
      });
      expect(body).not.toMatch(/select|connections|sqlite|stack/i);
      // The server log has the cause for operators, but never the SQL statement.
      const logged = stack.logs.filter((l) => l.includes('procedure failed')).join('');
      expect(logged).toMatch(/TableNotFoundException/);
      expect(logged).not.toMatch(/select /i);
    } finally {
      await stack.orm.em
        .getConnection()
        .execute('alter table connections_gone rename to connections');
    }
  });

  it('limits connect-link attempts per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push(
        (await fetch(`${stack.url}/connect?token=ctok_guess${i}`, { redirect: 'manual' })).status,
      );
    expect(statuses.slice(0, 30).every((s) => s === 303)).toBe(true);
    const limited = await fetch(`${stack.url}/connect?token=ctok_guess`, { redirect: 'manual' });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });

  it('an unknown route is a clean 404', async () => {
    const res = await fetch(`${stack.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });
});

describe('production mode', () => {
  it('has no demo login, uses a __Host- Secure cookie, and keeps the dev key file private', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugboard-prod-'));
    const apiKey = newId('pk_');
    const env = loadEnv({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://pb.example',
      DATA_DIR: dir,
      PLUGBOARD_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      PLUGBOARD_BOOTSTRAP_API_KEY: apiKey,
      LOG_LEVEL: 'silent',
    });
    const orm = await openDatabase(env);
    const { app } = await createServer({ env, orm, keyring: loadKeyring(env) });
    try {
      const demo = await app.inject({
        method: 'POST',
        url: '/dev/session',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(demo.statusCode).toBe(404);
      const minted = await app.inject({
        method: 'POST',
        url: '/trpc/server.connectTokens.create',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        payload: JSON.stringify({ externalUserId: 'u1' }),
      });
      const token = (minted.json() as { result: { data: { token: string } } }).result.data.token;
      const opened = await app.inject({ method: 'GET', url: `/connect?token=${token}` });
      expect(opened.headers['set-cookie']).toMatch(/^__Host-pb_session=.*; Secure/);
      expect(opened.headers.location).toBe('https://pb.example/');
    } finally {
      await app.close();
      await orm.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in development generates the encryption key once, with mode 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugboard-dev-'));
    try {
      const env = loadEnv({ DATA_DIR: dir });
      const first = loadKeyring(env);
      expect(statSync(join(dir, 'encryption.key')).mode & 0o777).toBe(0o600);
      const again = loadKeyring(env);
      expect(again.keys.get(again.currentKeyId)).toEqual(first.keys.get(first.currentKeyId));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
