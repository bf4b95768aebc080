import { createPlugboardClient } from '@plugboard/client';
import { ensureApiKey, newId } from '@plugboard/core';
import { AuditEntry, Connection, WebhookDelivery } from '@plugboard/db';
import { createServer, request, type Server } from 'node:http';
import { catalog } from '@plugboard/providers';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROXY_CASES, type ProxyCase } from './proxy-cases';
import {
  BrowserAgent,
  mockControl,
  startTestStack,
  testDatabases,
  type TestStack,
} from './testing';

/**
 * The API proxy (`ANY /v1/proxy/{connectionId}/{path…}`, routes/proxy.ts) per provider, over
 * real HTTP to the mock providers' data endpoints (mocks/providers/src/<id>/data.ts), on SQLite
 * and PostgreSQL: success with the provider's own auth, refresh on a 401 then success, a second
 * 401 → needs_reauth, 429 and 503 passed through with Retry-After, other hosts refused, and
 * bodies over 1 MB streamed both ways.
 */
const databases = testDatabases(inject('postgresUrl'));

it('has a case for every provider that can be proxied', () => {
  const proxiable = catalog
    .filter((p) => !('comingSoon' in p) && p.authMode !== 'telegram')
    .map((p) => p.id)
    .sort();
  expect(PROXY_CASES.map((c) => c.id).sort()).toEqual(proxiable);
});

describe.each(databases)('the API proxy on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let agent: BrowserAgent;
  let receiver: Server;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, RATE_LIMIT: 'off' },
      ...(db ? { database: db } : {}),
    });
    agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    // A webhook receiver, so connection.refresh_failed events are written for it.
    receiver = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const addr = receiver.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    await createPlugboardClient({ url: stack.url, apiKey }).webhooks.create.mutate({
      url: `http://127.0.0.1:${port}/hooks`,
    });
  });
  afterAll(async () => {
    receiver?.close();
    await stack?.close();
  });

  const control = (path: string, body: unknown) => mockControl(stack.mockUrl, path, body);
  const mockCalls = async (provider: string, endpoint: string) =>
    (
      (await (
        await fetch(`${stack.mockUrl}/__control/requests?provider=${provider}&endpoint=${endpoint}`)
      ).json()) as { requests: { status: number | null; path: string }[] }
    ).requests;

  /** Connects the mock's default account, as the Connect UI does, and returns its id. */
  async function connect(c: ProxyCase): Promise<string> {
    if ('apiKey' in c.connect) {
      const out = await agent.trpc(stack.url).connect.apiKey.connect.mutate({
        providerId: c.id,
        values: c.connect.apiKey,
      });
      return out.connectionId;
    }
    const attempt = await agent.connect(stack.url, c.id, c.connect.inputs);
    expect(attempt.error).toBeNull();
    return attempt.connection!.id;
  }

  const proxy = (connectionId: string, path: string, init: RequestInit = {}, key = apiKey) =>
    fetch(`${stack.url}/v1/proxy/${connectionId}/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...init.headers },
    });
  const call = (c: ProxyCase, connectionId: string) =>
    proxy(connectionId, c.call.path, {
      method: c.call.method ?? 'GET',
      ...(c.call.json === undefined
        ? {}
        : { body: JSON.stringify(c.call.json), headers: { 'content-type': 'application/json' } }),
    });
  const rawRequest = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${stack.url}/`,
        { method: 'POST', path, headers: { authorization: `Bearer ${apiKey}` } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  /** The mock's authenticated echo (core/data-api.ts), below the provider's API base. */
  const echo = (connectionId: string, body: Buffer) =>
    proxy(connectionId, '__control/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
  const statusOf = async (connectionId: string) =>
    (await stack.orm.em.fork().findOneOrFail(Connection, { id: connectionId })).status;

  describe.each(PROXY_CASES)('$id', (c) => {
    it('forwards the call with the connection’s credentials, the way the provider wants them', async () => {
      const id = await connect(c);
      const res = await call(c, id);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      c.check(body);
      const [last] = (await mockCalls(c.mockId, c.endpoint ?? 'data')).slice(-1);
      expect(last?.status).toBe(200);
      // The caller's query reaches the provider; nothing of Plugboard's own key does.
      const logs = stack.logs.join('');
      expect(logs).not.toContain(apiKey);
    });

    it('refreshes once on a 401 and retries with the fresh credentials', async () => {
      const id = await connect(c);
      const tokenCallsBefore = (await mockCalls(c.mockId, 'token')).length;
      await control(`${c.mockId}/data/faults`, { kind: 'unauthorized', count: 1 });
      if (c.authFailureStatus !== undefined) {
        // This provider refuses a dead token without a 401: its answer passes through as it
        // came, and nothing is refreshed or marked.
        const res = await echo(id, Buffer.from('x'));
        expect(res.status).toBe(c.authFailureStatus);
        await res.arrayBuffer();
        expect((await mockCalls(c.mockId, 'token')).length).toBe(tokenCallsBefore);
        expect(await statusOf(id)).toBe('active');
        return;
      }
      const res = await call(c, id);
      expect(res.status, await res.clone().text()).toBe(200);
      c.check(await res.json());
      const [first, retry] = (await mockCalls(c.mockId, 'data')).slice(-2);
      expect([first?.status, retry?.status]).toEqual([401, 200]);
      // A grant with a refresh token is refreshed at the provider; an API key has none.
      expect((await mockCalls(c.mockId, 'token')).length).toBe(
        tokenCallsBefore + (c.refreshable ? 1 : 0),
      );
      expect(await statusOf(id)).toBe('active');
    });

    it('a second 401 after the refresh marks the connection needs_reauth, with webhook and audit entry', async () => {
      const id = await connect(c);
      const em = stack.orm.em.fork();
      const audited = () =>
        em.count(AuditEntry, { connectionId: id, action: 'connection.needs_reauth' });
      const auditedBefore = await audited();
      await control(`${c.mockId}/data/faults`, { kind: 'unauthorized', count: 2 });
      if (c.authFailureStatus !== undefined) {
        const passed = await echo(id, Buffer.from('x'));
        expect(passed.status).toBe(c.authFailureStatus);
        await passed.arrayBuffer();
        // A second refusal changes nothing either: only a 401 says the credentials are dead.
        expect((await echo(id, Buffer.from('x'))).status).toBe(c.authFailureStatus);
        expect(await statusOf(id)).toBe('active');
        expect(await audited()).toBe(auditedBefore);
        return;
      }
      const res = await call(c, id);
      expect(res.status).toBe(409);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('CONNECTION_NEEDS_REAUTH');
      expect(await statusOf(id)).toBe('needs_reauth');
      expect(await audited()).toBe(auditedBefore + 1);
      const events = await em.find(WebhookDelivery, { eventType: 'connection.refresh_failed' });
      expect(events.some((e) => JSON.stringify(e.payload).includes(id))).toBe(true);
      // A connection that needs reconnecting is not called again.
      const again = await call(c, id);
      expect(again.status).toBe(409);
    });

    it('passes 429 and 503 through with Retry-After', async () => {
      const id = await connect(c);
      await control('faults', {
        provider: c.mockId,
        endpoint: c.endpoint ?? 'data',
        kind: 'rate_limit',
        retryAfterSeconds: 17,
      });
      const limited = await call(c, id);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('17');
      for (const [name, value] of Object.entries(c.rateLimitHeaders ?? {})) {
        expect(limited.headers.get(name)).toBe(value);
      }
      await limited.arrayBuffer();
      await control(`${c.mockId}/data/faults`, { kind: 'unavailable', retryAfterSeconds: 9 });
      const down = await echo(id, Buffer.from('x'));
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('9');
      await down.arrayBuffer();
      expect(await statusOf(id)).toBe('active');
    });

    it('streams bodies over 1 MB both ways', async () => {
      const id = await connect(c);
      const payload = randomBytes(3 * 1024 * 1024 + 17);
      const res = await echo(id, payload);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-echo-bytes')).toBe(String(payload.length));
      const back = Buffer.from(await res.arrayBuffer());
      expect(back.length).toBe(payload.length);
      expect(createHash('sha256').update(back).digest('hex')).toBe(
        createHash('sha256').update(payload).digest('hex'),
      );
    });
  });

  describe('refuses what would leave the provider’s API', () => {
    const notion = PROXY_CASES.find((c) => c.id === 'notion')!;
    it.each([
      ['//evil.example/v1/search', 'VALIDATION_FAILED'],
      ['v1/../../salesforce/services/data', 'VALIDATION_FAILED'],
      ['v1/%2e%2e/%2E%2E/stripe/v1/balance', 'VALIDATION_FAILED'],
      ['v1/search%5c..%5c', 'VALIDATION_FAILED'],
      ['https://evil.example/v1/search', 'VALIDATION_FAILED'],
    ])('%s → %s, and nothing is sent', async (path, code) => {
      const id = await connect(notion);
      const before = (await mockCalls('notion', 'data')).length;
      // Sent as is: fetch would resolve `..` before sending.
      const res = await rawRequest(`/v1/proxy/${id}/${path}`);
      expect(res.status).toBe(400);
      expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe(code);
      expect((await mockCalls('notion', 'data')).length).toBe(before);
    });
  });

  it('a connection whose stored API host is not the provider’s is refused before anything is sent', async () => {
    const salesforce = PROXY_CASES.find((c) => c.id === 'salesforce')!;
    const id = await connect(salesforce);
    const em = stack.orm.em.fork();
    const row = await em.findOneOrFail(Connection, { id });
    const other = createServer((_req, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    let reached = 0;
    other.on('request', () => (reached += 1));
    const addr = other.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      for (const instanceUrl of [
        `http://127.0.0.1:${port}/salesforce`,
        `${stack.mockUrl}/notion`,
        'https://evil.example',
      ]) {
        row.metadata = { ...row.metadata, instanceUrl };
        await em.flush();
        const res = await call(salesforce, id);
        expect(res.status, instanceUrl).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'PROXY_TARGET_REFUSED',
        );
      }
      expect(reached).toBe(0);
    } finally {
      other.close();
    }
  });

  describe('authentication and scope', () => {
    const notion = PROXY_CASES.find((c) => c.id === 'notion')!;
    it('needs an API key with connections:proxy (admin implies it); credentials:read is not enough', async () => {
      const id = await connect(notion);
      const em = stack.orm.em.fork();
      const proxyOnly = newId('pk_');
      const readOnly = newId('pk_');
      await ensureApiKey(em, proxyOnly, 'proxy only', ['connections:proxy']);
      await ensureApiKey(em, readOnly, 'credentials', ['credentials:read', 'connections:read']);

      const none = await fetch(`${stack.url}/v1/proxy/${id}/v1/search`, { method: 'POST' });
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe(
        'API_KEY_INVALID',
      );
      const wrong = await proxy(id, 'v1/search', { method: 'POST' }, readOnly);
      expect(wrong.status).toBe(403);
      const denied = (await wrong.json()) as { error: { code: string; message: string } };
      expect(denied.error.code).toBe('SCOPE_MISSING');
      expect(denied.error.message).toContain('"connections:proxy"');
      const ok = await proxy(
        id,
        notion.call.path,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
        proxyOnly,
      );
      expect(ok.status).toBe(200);
    });

    it('an unknown connection is NOT_FOUND; a Telegram session is refused with a clear error', async () => {
      const res = await proxy(newId('conn_'), 'v1/search');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    });
  });
});
