import { PlugboardError } from '@plugboard/contracts';
import { handleOAuthCallback, openCredentials } from '@plugboard/core';
import {
  consentAtMock,
  createTestDeps,
  ensureMockClient,
  type TestDeps,
} from '@plugboard/core/testing';
import { Connection, WebhookEndpoint } from '@plugboard/db';
import { startMockProviders, type RunningMockProviders } from '@plugboard/mock-providers';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appRouter } from '../../root';
import { connectCaller, registeredApiKey, serverCaller, sessionFor } from '../../testing/callers';

type Caller = ReturnType<typeof serverCaller>;
/** Calls a procedure by its dotted path (`server.connections.list`) with `input`. */
function callByPath(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
  return Promise.resolve().then(() => (fn as (i: unknown) => unknown)(input));
}

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const appCode = (e: TRPCError) => (e.cause instanceof PlugboardError ? e.cause.code : undefined);

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
  return () => t.close();
});

describe('server.* requires an API key', () => {
  const serverProcedures = Object.keys(appRouter._def.procedures).filter((p) =>
    p.startsWith('server.'),
  );

  it('covers every server procedure', () => {
    expect(serverProcedures).toEqual(
      expect.arrayContaining(['server.connections.credentials', 'server.connectTokens.create']),
    );
  });

  // 401 (tRPC UNAUTHORIZED) with the server API's stable code API_KEY_INVALID (contracts/errors.ts).
  it.each(serverProcedures)('%s: no key → 401 API_KEY_INVALID', async (path) => {
    const error = await failure(callByPath(serverCaller(t), path, {}));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(appCode(error)).toBe('API_KEY_INVALID');
  });

  it.each(serverProcedures)('%s: an unknown key → 401 API_KEY_INVALID', async (path) => {
    await registeredApiKey(t);
    const error = await failure(callByPath(serverCaller(t, 'pk_notARealKey1234567'), path, {}));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(appCode(error)).toBe('API_KEY_INVALID');
  });

  it('nothing is written by a refused call', async () => {
    await failure(serverCaller(t).server.webhooks.create({ url: 'http://127.0.0.1:59999/hooks' }));
    expect(await t.em().count(WebhookEndpoint, {})).toBe(0);
  });

  it('a registered key is accepted, and bad input is VALIDATION_FAILED naming the field', async () => {
    const api = serverCaller(t, await registeredApiKey(t));
    expect(await api.server.connections.list({})).toEqual({ items: [], nextCursor: null });
    const error = await failure(api.server.connections.get({ connectionId: 'nope' } as never));
    expect(error.code).toBe('BAD_REQUEST');
  });
});

describe('DTOs never carry entity internals or secrets', () => {
  let mock: RunningMockProviders;
  beforeAll(async () => {
    mock = await startMockProviders({ port: 0 });
  });
  afterAll(async () => mock.close());

  const INTERNAL_FIELDS = [
    'credentialsEnc',
    'version',
    'refreshLeaseUntil',
    'accessTokenExpiresAt',
    'lastRefreshedAt',
    'secretEnc',
    'tokenHash',
  ];

  it('connections: list and get show the account, not its tokens', async () => {
    const mocked = await createTestDeps({ mockUrl: mock.url });
    try {
      await ensureMockClient(mock.url, mocked.deps, 'notion');
      const session = await sessionFor(mocked, 'user-1');
      const started = await connectCaller(mocked, session).connect.oauth.start({
        providerId: 'notion',
      });
      const query = await consentAtMock(started.authorizationUrl);
      await handleOAuthCallback(mocked.em(), mocked.deps, {
        providerId: 'notion',
        query,
        sessionId: session.id,
      });
      const row = await mocked.em().findOneOrFail(Connection, { externalUserId: 'user-1' });
      const { accessToken } = openCredentials(mocked.deps.keyring, row.id, row.credentialsEnc);

      const api = serverCaller(mocked, await registeredApiKey(mocked));
      const listed = await api.server.connections.list({ externalUserId: 'user-1' });
      const got = await api.server.connections.get({ connectionId: row.id as never });
      const own = await connectCaller(mocked, session).connect.connections.list();
      for (const dto of [listed.items[0], got, own[0]]) {
        expect(dto).toBeDefined();
        const json = JSON.stringify(dto);
        expect(json).not.toContain(accessToken);
        for (const field of INTERNAL_FIELDS) expect(Object.keys(dto!)).not.toContain(field);
      }
      expect(Object.keys(got).sort()).toEqual(
        [
          'id',
          'providerId',
          'providerName',
          'accountId',
          'label',
          'status',
          'metadata',
          'scopes',
          'connectedAt',
          'updatedAt',
          'externalUserId',
        ].sort(),
      );
      // The one procedure whose job is to hand out the token does so.
      const credentials = await api.server.connections.credentials({
        connectionId: row.id as never,
      });
      expect(credentials.accessToken).toBe(accessToken);
    } finally {
      await mocked.close();
    }
  });

  it('webhooks: the signing secret is shown once, at creation, and never listed', async () => {
    const api = serverCaller(t, await registeredApiKey(t));
    const created = await api.server.webhooks.create({ url: 'http://127.0.0.1:59999/hooks' });
    expect(created.secret).toMatch(/^whsec_/);
    const listed = await api.server.webhooks.list();
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(Object.keys(listed[0]!)).not.toContain('secretEnc');
    const stored = await t.em().findOneOrFail(WebhookEndpoint, { id: created.id });
    expect(stored.secretEnc).not.toContain(created.secret.slice(6));
  });
});
