import { newId } from '@plugboard/core';
import { IdempotencyRecord } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rest, startTestStack, testDatabases, type TestStack } from '../testing';

/**
 * What REST adds around the procedures, over real HTTP: Idempotency-Key on creates (replay,
 * conflict, concurrent duplicates, per credential), 404 and 405 JSON errors with Allow, the same
 * API keys and client-credentials tokens, Retry-After on a 429, the OpenAPI document and /docs.
 */
const databases = testDatabases(inject('postgresUrl'));

type Err = { error: { code: string; message: string; issues?: { path: string }[] } };
const codeOf = (body: unknown) => (body as Err).error.code;

describe.each(databases)('REST over HTTP on %s', (_db, database) => {
  const admin = newId('pk_');
  let stack: TestStack;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: admin, WEBHOOK_POLL_MS: '0' },
      ...(db ? { database: db } : {}),
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const webhookCount = async () =>
    ((await rest(stack.url, admin, { method: 'GET', path: '/webhooks' })).body as unknown[]).length;
  const createWebhook = (key: string | undefined, body: unknown, idempotencyKey?: string) =>
    rest(stack.url, key, {
      method: 'POST',
      path: '/webhooks',
      body,
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    });

  describe('Idempotency-Key', () => {
    it('the same key and body returns the first answer, marked as a replay, and creates once', async () => {
      const before = await webhookCount();
      const body = { url: 'https://hooks.example/idem', events: ['connection.created'] };
      const first = await createWebhook(admin, body, 'create-hook-1');
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      // The same JSON with its keys in another order is the same request.
      const again = await createWebhook(
        admin,
        { events: body.events, url: body.url },
        'create-hook-1',
      );
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body); // the signing secret too: it is the first answer
      expect(await webhookCount()).toBe(before + 1);

      const other = await createWebhook(admin, body, 'create-hook-2');
      expect(other.status).toBe(201);
      expect((other.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
    });

    it('the same key with a different body is a 409 IDEMPOTENCY_KEY_REUSED, nothing created', async () => {
      await createWebhook(admin, { url: 'https://hooks.example/a' }, 'reuse-1');
      const before = await webhookCount();
      const conflict = await createWebhook(admin, { url: 'https://hooks.example/b' }, 'reuse-1');
      expect(conflict.status).toBe(409);
      expect(codeOf(conflict.body)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((conflict.body as Err).error.message).toMatch(/different request/);
      // The same key on another create route is another request too.
      const elsewhere = await rest(stack.url, admin, {
        method: 'POST',
        path: '/connect-tokens',
        body: { url: 'https://hooks.example/a' },
        headers: { 'idempotency-key': 'reuse-1' },
      });
      expect(codeOf(elsewhere.body)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await webhookCount()).toBe(before);
    });

    it('concurrent duplicates create one thing and all get its answer', async () => {
      const before = await webhookCount();
      const body = { url: 'https://hooks.example/race' };
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => createWebhook(admin, body, 'race-1')),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(
        5,
      );
      expect(await webhookCount()).toBe(before + 1);
    });

    it('keys belong to the credential that sent them', async () => {
      const other = (
        await rest(stack.url, admin, {
          method: 'POST',
          path: '/api-keys',
          body: { name: 'hooks', scopes: ['webhooks:manage'] },
        })
      ).body as { key: string };
      const mine = await createWebhook(admin, { url: 'https://hooks.example/mine' }, 'shared-name');
      const theirs = await createWebhook(
        other.key,
        { url: 'https://hooks.example/mine' },
        'shared-name',
      );
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect((theirs.body as { id: string }).id).not.toBe((mine.body as { id: string }).id);
    });

    it('an error is not kept: the corrected request with the same key runs', async () => {
      const bad = await createWebhook(admin, { url: 'ftp://hooks.example/x' }, 'fix-me');
      expect(bad.status).toBe(400);
      const fixed = await createWebhook(admin, { url: 'https://hooks.example/fixed' }, 'fix-me');
      expect(fixed.status).toBe(201);
      expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    });

    it('a bad key or credential is refused before anything is stored', async () => {
      const records = () => stack.orm.em.fork().count(IdempotencyRecord);
      const before = await records();
      const long = await createWebhook(admin, { url: 'https://hooks.example/l' }, 'k'.repeat(256));
      expect(long.status).toBe(400);
      expect((long.body as Err).error.issues?.[0]?.path).toBe('Idempotency-Key');
      const noKey = await createWebhook(undefined, { url: 'https://hooks.example/l' }, 'anon');
      expect(noKey.status).toBe(401);
      expect(codeOf(noKey.body)).toBe('API_KEY_INVALID');
      const records_ = await records();
      expect(records_).toBe(before);
    });

    it('the stored answer is sealed: no secret from it is in the database in the clear', async () => {
      const created = await createWebhook(
        admin,
        { url: 'https://hooks.example/sealed' },
        'sealed-1',
      );
      const secret = (created.body as { secret: string }).secret;
      const rows = await stack.orm.em.fork().find(IdempotencyRecord, {});
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(rows)).not.toContain('sealed-1');
    });
  });

  describe('unknown routes and methods', () => {
    it('an unknown path under /v1 is a JSON 404 that says where the operations are', async () => {
      for (const path of ['/nope', '/connections/conn_x/nope', '/']) {
        const got = await rest(stack.url, admin, { method: 'GET', path });
        expect(got.status, path).toBe(404);
        expect(codeOf(got.body)).toBe('NOT_FOUND');
        expect((got.body as Err).error.message).toContain('/v1/openapi.json');
      }
    });

    it('a known path with another method is a 405 with Allow', async () => {
      const cases = [
        ['PUT', '/connections', 'GET, HEAD'],
        ['PATCH', '/connections/conn_aaaaaaaaaaaaaaaaaaaa', 'GET, HEAD, DELETE'],
        ['GET', '/connect-tokens', 'POST'],
        ['DELETE', '/webhooks/deliveries', 'GET, HEAD'],
        ['POST', '/openapi.json', 'GET, HEAD'],
      ] as const;
      for (const [method, path, allow] of cases) {
        const got = await rest(stack.url, admin, { method, path });
        expect(got.status, `${method} ${path}`).toBe(405);
        expect(got.headers.get('allow')).toBe(allow);
        expect(codeOf(got.body)).toBe('METHOD_NOT_ALLOWED');
      }
    });

    it('a body that is not a JSON object, or that repeats a path field, is VALIDATION_FAILED', async () => {
      const array = await rest(stack.url, admin, { method: 'POST', path: '/webhooks', body: [1] });
      expect(array.status).toBe(400);
      expect(codeOf(array.body)).toBe('VALIDATION_FAILED');
      const id = 'conn_aaaaaaaaaaaaaaaaaaaa';
      const twice = await rest(stack.url, admin, {
        method: 'POST',
        path: `/connections/${id}/credentials`,
        body: { connectionId: 'conn_bbbbbbbbbbbbbbbbbbbb' },
      });
      expect(twice.status).toBe(400);
      expect((twice.body as Err).error.issues?.[0]?.path).toBe('connectionId');
    });
  });

  describe('auth', () => {
    it('a client-credentials access token works as a Bearer, with its scopes', async () => {
      const client = (
        await rest(stack.url, admin, {
          method: 'POST',
          path: '/api-clients',
          body: { name: 'reader', scopes: ['connections:read'] },
        })
      ).body as { clientId: string; clientSecret: string };
      const res = await fetch(`${stack.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`,
      });
      const { access_token: token } = (await res.json()) as { access_token: string };
      expect(token).toMatch(/^pat_/);
      const list = await rest(stack.url, token, { method: 'GET', path: '/connections' });
      expect(list.status).toBe(200);
      const denied = await createWebhook(token, { url: 'https://hooks.example/no' });
      expect(denied.status).toBe(403);
      expect(codeOf(denied.body)).toBe('SCOPE_MISSING');
      expect((denied.body as Err).error.message).toContain('"webhooks:manage"');
      const wrong = await rest(stack.url, 'pk_not_a_real_key_at_all_000', {
        method: 'GET',
        path: '/connections',
      });
      expect(wrong.status).toBe(401);
      expect(codeOf(wrong.body)).toBe('API_KEY_INVALID');
    });

    it('takes a body-less DELETE with no Content-Type, as curl sends it', async () => {
      const created = await createWebhook(admin, { url: 'https://hooks.example/del' });
      const res = await fetch(`${stack.url}/v1/webhooks/${(created.body as { id: string }).id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(res.status).toBe(200);
    });
  });

  it('serves the OpenAPI document and the reference page', async () => {
    const doc = await rest(stack.url, undefined, { method: 'GET', path: '/openapi.json' });
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ openapi: '3.1.0', servers: [{ url: stack.url }] });
    const page = await fetch(`${stack.url}/docs`);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(html).not.toMatch(/<script>|<script type="text\/javascript">/); // no inline script
    for (const src of html.matchAll(/src="([^"]+)"/g)) expect(src[1]).toMatch(/^\/docs\//);
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${stack.url}/docs/scalar/js/scalar.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    // Scalar's standalone bundle, loaded on this first request (docs.ts).
    expect(await script.text()).toContain('createApiReference');
  });
});

describe('Retry-After on a 429', () => {
  it('the rate limit answers RATE_LIMITED with Retry-After, in the REST error shape', async () => {
    const key = newId('pk_');
    const stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: key, RATE_LIMIT_PER_API_KEY: '3' },
    });
    try {
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(await rest(stack.url, key, { method: 'GET', path: '/connections' }));
      }
      const limited = answers.find((a) => a.status === 429);
      expect(limited).toBeDefined();
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(codeOf(limited!.body)).toBe('RATE_LIMITED');
    } finally {
      await stack.close();
    }
  });
});
