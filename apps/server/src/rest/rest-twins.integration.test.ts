import { SCOPES, type Scope } from '@plugboard/contracts';
import { newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connectNotionOverRest,
  rest,
  startHostPage,
  startTestStack,
  testDatabases,
  trpc,
  type HttpAnswer,
  type RestRequest,
  type TestStack,
  type TrpcRequest,
} from '../testing';
import { procedureSchemas } from './openapi';
import { hasBody, pathParams, REST_ROUTES, type RestRoute } from './routes';

/**
 * Each REST route and its tRPC twin, over real HTTP against one server: the same answer for the
 * same request (reads exactly; creates and deletes in shape, as they make new ids), and for
 * every route the same status, code, message and issues when the key is missing, lacks the
 * scope, or the input is wrong.
 */
const databases = testDatabases(inject('postgresUrl'));

/** New ids, secrets and times differ between two creates; everything else must not. */
const shape = (value: unknown) =>
  JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'string'
      ? v
          .replace(/\b([a-z]+)_[A-Za-z0-9_+/=-]{8,}/g, '$1_…')
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      : v,
  ) as unknown;

/** Status and body; a page cursor is sealed afresh each time (same position, other bytes). */
const strip = ({ status, body }: HttpAnswer) => ({
  status,
  body:
    body &&
    typeof body === 'object' &&
    typeof (body as { nextCursor?: unknown }).nextCursor === 'string'
      ? { ...body, nextCursor: '<cursor>' }
      : body,
});

describe.each(databases)('REST ↔ tRPC on %s', (_db, database) => {
  const admin = newId('pk_');
  let stack: TestStack;
  let host: Awaited<ReturnType<typeof startHostPage>>;
  let connectionId = '';
  let keyWithout: (scope: Scope) => Promise<string>;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: admin },
      ...(db ? { database: db } : {}),
    });
    host = await startHostPage();
    connectionId = await connectNotionOverRest(stack.url, admin, 'twin-user', host.url);
    await connectNotionOverRest(stack.url, admin, 'twin-user-2', host.url);
    const keys = new Map<Scope, string>();
    keyWithout = async (scope) => {
      const cached = keys.get(scope);
      if (cached) return cached;
      const created = await rest(stack.url, admin, {
        method: 'POST',
        path: '/api-keys',
        body: {
          name: `without ${scope}`,
          scopes: SCOPES.filter((s) => s !== scope && s !== 'admin'),
        },
      });
      const key = (created.body as { key: string }).key;
      keys.set(scope, key);
      return key;
    };
  });
  afterAll(async () => {
    host?.close();
    await stack?.close();
  });

  /** The same request to both; `null` = no Authorization header. */
  const both = async (restReq: RestRequest, trpcReq: TrpcRequest, key: string | null = admin) => ({
    rest: strip(await rest(stack.url, key ?? undefined, restReq)),
    trpc: strip(await trpc(stack.url, key ?? undefined, trpcReq)),
  });

  const reads: [string, () => RestRequest, () => TrpcRequest][] = [
    [
      'connections.list by user',
      () => ({ method: 'GET', path: '/connections', query: { externalUserId: 'twin-user' } }),
      () => ({
        procedure: 'server.connections.list',
        type: 'query',
        input: { externalUserId: 'twin-user' },
      }),
    ],
    [
      'connections.list, one per page',
      () => ({ method: 'GET', path: '/connections', query: { limit: '1' } }),
      () => ({ procedure: 'server.connections.list', type: 'query', input: { limit: 1 } }),
    ],
    [
      'connections.get',
      () => ({ method: 'GET', path: `/connections/${connectionId}` }),
      () => ({ procedure: 'server.connections.get', type: 'query', input: { connectionId } }),
    ],
    [
      'connections.credentials',
      () => ({ method: 'POST', path: `/connections/${connectionId}/credentials`, body: {} }),
      () => ({
        procedure: 'server.connections.credentials',
        type: 'mutation',
        input: { connectionId },
      }),
    ],
    [
      'auditLog.list',
      () => ({ method: 'GET', path: '/audit-log', query: { connectionId, limit: '5' } }),
      () => ({
        procedure: 'server.auditLog.list',
        type: 'query',
        input: { connectionId, limit: 5 },
      }),
    ],
    [
      'webhooks.list',
      () => ({ method: 'GET', path: '/webhooks' }),
      () => ({ procedure: 'server.webhooks.list', type: 'query' }),
    ],
    [
      'webhooks.deliveries',
      () => ({
        method: 'GET',
        path: '/webhooks/deliveries',
        query: { status: 'failed', limit: '5' },
      }),
      () => ({
        procedure: 'server.webhooks.deliveries',
        type: 'query',
        input: { status: 'failed', limit: 5 },
      }),
    ],
    [
      'apiKeys.list',
      () => ({ method: 'GET', path: '/api-keys' }),
      () => ({ procedure: 'server.apiKeys.list', type: 'query' }),
    ],
    [
      'apiClients.list',
      () => ({ method: 'GET', path: '/api-clients' }),
      () => ({ procedure: 'server.apiClients.list', type: 'query' }),
    ],
  ];

  it.each(reads)('%s answers exactly what tRPC answers', async (_name, restReq, trpcReq) => {
    const got = await both(restReq(), trpcReq());
    expect(got.rest.status).toBe(200);
    expect(got.rest).toEqual(got.trpc);
  });

  it('a page cursor from REST works on tRPC and the other way round', async () => {
    const page = (body: unknown) => body as { items: { id: string }[]; nextCursor: string | null };
    const viaRest = page(
      (await rest(stack.url, admin, { method: 'GET', path: '/connections', query: { limit: '1' } }))
        .body,
    );
    const viaTrpc = page(
      (
        await trpc(stack.url, admin, {
          procedure: 'server.connections.list',
          type: 'query',
          input: { limit: 1 },
        })
      ).body,
    );
    expect(viaRest.nextCursor).toEqual(expect.any(String));
    const second = await both(
      { method: 'GET', path: '/connections', query: { limit: '1', cursor: viaTrpc.nextCursor! } },
      {
        procedure: 'server.connections.list',
        type: 'query',
        input: { limit: 1, cursor: viaRest.nextCursor },
      },
    );
    expect(second.rest.status).toBe(200);
    expect(second.rest).toEqual(second.trpc);
    expect(page(second.rest.body).items[0]!.id).not.toBe(viaRest.items[0]!.id);
  });

  it('connections.proxy calls the provider the same way (its answer headers aside)', async () => {
    const call = { method: 'POST', path: 'v1/search', json: { page_size: 5 } } as const;
    const got = await both(
      { method: 'POST', path: `/connections/${connectionId}/proxy`, body: call },
      { procedure: 'server.connections.proxy', type: 'mutation', input: { connectionId, ...call } },
    );
    expect(got.rest.status).toBe(200);
    const answer = (a: { status: number; body: unknown }) => {
      const { headers: _headers, ...rest } = a.body as { headers: unknown };
      return { status: a.status, ...rest };
    };
    expect(answer(got.rest)).toEqual(answer(got.trpc));
    expect((got.rest.body as { status: number }).status).toBe(200);
  });

  const creates: [string, RestRequest, TrpcRequest][] = [
    [
      'connectTokens.create',
      { method: 'POST', path: '/connect-tokens', body: { externalUserId: 'u1', ttlSeconds: 600 } },
      {
        procedure: 'server.connectTokens.create',
        type: 'mutation',
        input: { externalUserId: 'u1', ttlSeconds: 600 },
      },
    ],
    [
      'oauth.start',
      {
        method: 'POST',
        path: '/oauth/attempts',
        body: {
          providerId: 'notion',
          externalUserId: 'u1',
          redirectUrl: 'http://localhost:9/done',
        },
      },
      {
        procedure: 'server.oauth.start',
        type: 'mutation',
        input: {
          providerId: 'notion',
          externalUserId: 'u1',
          redirectUrl: 'http://localhost:9/done',
        },
      },
    ],
    [
      'webhooks.create',
      {
        method: 'POST',
        path: '/webhooks',
        body: { url: 'https://hooks.example/p', events: ['connection.created'] },
      },
      {
        procedure: 'server.webhooks.create',
        type: 'mutation',
        input: { url: 'https://hooks.example/p', events: ['connection.created'] },
      },
    ],
    [
      'apiKeys.create',
      { method: 'POST', path: '/api-keys', body: { name: 'twin', scopes: ['connections:read'] } },
      {
        procedure: 'server.apiKeys.create',
        type: 'mutation',
        input: { name: 'twin', scopes: ['connections:read'] },
      },
    ],
    [
      'apiClients.create',
      {
        method: 'POST',
        path: '/api-clients',
        body: { name: 'twin', scopes: ['connections:read'] },
      },
      {
        procedure: 'server.apiClients.create',
        type: 'mutation',
        input: { name: 'twin', scopes: ['connections:read'] },
      },
    ],
  ];

  it.each(creates)('%s creates the same thing (201 over REST)', async (_name, restReq, trpcReq) => {
    const got = await both(restReq, trpcReq);
    expect(got.rest.status).toBe(201);
    expect(got.trpc.status).toBe(200);
    expect(shape(got.rest.body)).toEqual(shape(got.trpc.body));
    expect(got.rest.body).not.toEqual(got.trpc.body); // two creates: two new things
  });

  it('the deletes and revokes remove the same way', async () => {
    const make = async (path: string, body: unknown) =>
      (await rest(stack.url, admin, { method: 'POST', path, body })).body as { id: string };
    for (const [path, procedure, body] of [
      ['/webhooks', 'server.webhooks.delete', { url: 'https://hooks.example/d' }],
      ['/api-keys', 'server.apiKeys.revoke', { name: 'd', scopes: ['connections:read'] }],
      ['/api-clients', 'server.apiClients.revoke', { name: 'd', scopes: ['connections:read'] }],
    ] as const) {
      const [a, b] = [await make(path, body), await make(path, body)];
      const got = await both(
        { method: 'DELETE', path: `${path}/${a.id}` },
        { procedure, type: 'mutation', input: { id: b.id } },
      );
      expect(got.rest.status, path).toBe(200);
      expect(shape(got.rest), path).toEqual(shape(got.trpc));
      // Gone (or revoked) for both, and a second delete is the same error on both sides.
      const again = await both(
        { method: 'DELETE', path: `${path}/${b.id}` },
        { procedure, type: 'mutation', input: { id: a.id } },
      );
      expect(shape(again.rest), path).toEqual(shape(again.trpc));
    }
  });

  it('connections.delete, and oauth.complete of a finished attempt', async () => {
    const a = await connectNotionOverRest(stack.url, admin, 'del-a', host.url);
    const b = await connectNotionOverRest(stack.url, admin, 'del-b', host.url);
    const got = await both(
      { method: 'DELETE', path: `/connections/${a}` },
      { procedure: 'server.connections.delete', type: 'mutation', input: { connectionId: b } },
    );
    expect(got.rest.status).toBe(200);
    expect(shape(got.rest)).toEqual(shape(got.trpc));
    const gone = await both(
      { method: 'GET', path: `/connections/${a}` },
      { procedure: 'server.connections.get', type: 'query', input: { connectionId: b } },
    );
    expect(gone.rest.status).toBe(404);
    expect(shape(gone.rest)).toEqual(shape(gone.trpc));
  });

  /** A request to the route that its input schema refuses. */
  function badInput(route: RestRoute): { restReq: RestRequest; input: Record<string, unknown> } {
    const params = Object.fromEntries(pathParams(route.path).map((p) => [p, 'nope']));
    const path = route.path.replace(/\{(\w+)\}/g, 'nope');
    const props = procedureSchemas(route.procedure).input?.properties ?? {};
    if (hasBody(route.method))
      return { restReq: { method: route.method, path, body: {} }, input: { ...params } };
    const query: Record<string, string> = 'limit' in props ? { limit: '0' } : { bogus: '1' };
    const input = 'limit' in props ? { limit: 0 } : { bogus: '1' };
    return { restReq: { method: route.method, path, query }, input: { ...input, ...params } };
  }
  const twinOf = (route: RestRoute, input: unknown): TrpcRequest => ({
    procedure: route.procedure,
    type: procedureSchemas(route.procedure).type,
    input,
  });

  describe.each(REST_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s',
    (_name, route) => {
      it('without a key, with a key lacking the scope and with bad input: the errors of tRPC', async () => {
        const { restReq, input } = badInput(route);
        const noKey = await both(restReq, twinOf(route, input), null);
        expect(noKey.rest.status).toBe(401);
        expect(noKey.rest).toEqual(noKey.trpc);

        const scope = (await import('@plugboard/api')).requiredScope(route.procedure);
        const lacking = await both(restReq, twinOf(route, input), await keyWithout(scope));
        expect(lacking.rest.status).toBe(403);
        expect((lacking.rest.body as { error: { code: string } }).error.code).toBe('SCOPE_MISSING');
        expect(lacking.rest).toEqual(lacking.trpc);

        const bad = await both(restReq, twinOf(route, input));
        expect(bad.rest).toEqual(bad.trpc);
        if (route.procedure !== 'server.webhooks.list') {
          // webhooks.list takes no input at all; every other route refuses this one.
          expect(bad.rest.status).toBe(400);
          expect((bad.rest.body as { error: { code: string } }).error.code).toBe(
            'VALIDATION_FAILED',
          );
        }
      });
    },
  );
});
