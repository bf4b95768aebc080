import { createPlugboardClient, plugboardErrorCode, PlugboardTokenError } from '@plugboard/client';
import { ManualClock, newId, VERDICT_TTL_MS } from '@plugboard/core';
import { ApiAccessToken, ApiClient, ApiKey, AuditEntry } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestStack, type TestStack, testDatabases } from './testing';

/**
 * Backend auth beyond one API key (issue 9 §3): API keys and API clients with scopes, managed
 * through server.apiKeys.* / server.apiClients.*, and POST /oauth/token (RFC 6749 §4.4) whose
 * tokens every server.* procedure accepts — on a second instance too.
 */
const databases = testDatabases(inject('postgresUrl'));

/** What POST /oauth/token answers: a token (RFC 6749 §5.1) or an error (§5.2). */
interface TokenJson {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  error?: string;
  error_description?: string;
}
const tokenJson = async (res: Response) => (await res.json()) as TokenJson;
/** The app code of a failed tRPC call over HTTP. */
const trpcError = async (res: Response) =>
  ((await res.json()) as { error: { data: { code: string } } }).error.data.code;

describe.each(databases)('backend auth on %s', (_db, database) => {
  const bootstrapKey = newId('pk_');
  const clock = new ManualClock();
  let stack: TestStack;
  let second: TestStack;
  const admin = () => createPlugboardClient({ url: stack.url, apiKey: bootstrapKey });

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: bootstrapKey, WEBHOOK_POLL_MS: '0' },
      clock,
      ...(db ? { database: db } : {}),
    });
    second = await startTestStack({ joining: stack, clock, env: { WEBHOOK_POLL_MS: '0' } });
  });
  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  const token = (body: string | Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type':
          typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const trpcQuery = (base: string, path: string, bearer: string) =>
    fetch(`${base}/trpc/${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  const LIST = 'server.connections.list?input=%7B%7D';
  /**
   * A revoked credential is refused at once by the instance that revoked it (`stack`) and within
   * the verdict cache's bound by the other one (`second`, which had just accepted it, so its
   * verdict was cached: services/api-keys.ts `VERDICT_TTL_MS`). Returns how long `second` took.
   */
  async function refusedOnBoth(bearer: string): Promise<number> {
    const here = await trpcQuery(stack.url, LIST, bearer);
    expect(here.status).toBe(401);
    expect(await trpcError(here)).toBe('API_KEY_INVALID');
    const startedAt = Date.now();
    for (;;) {
      const there = await trpcQuery(second.url, LIST, bearer);
      if (there.status === 401) {
        expect(await trpcError(there)).toBe('API_KEY_INVALID');
        return Date.now() - startedAt;
      }
      expect(there.status).toBe(200);
      await there.body?.cancel();
      // A generous margin over the bound for a loaded machine; past it the key is still accepted.
      expect(Date.now() - startedAt).toBeLessThan(VERDICT_TTL_MS + 1000);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function newClient(
    scopes: Parameters<ReturnType<typeof admin>['apiClients']['create']['mutate']>[0]['scopes'],
  ) {
    return admin().apiClients.create.mutate({ name: 'backend', scopes });
  }

  it('the bootstrap key has admin and manages keys: secrets once, hashes only, lastUsedAt kept', async () => {
    const created = await admin().apiKeys.create.mutate({
      name: 'reader',
      scopes: ['connections:read'],
    });
    expect(created.key).toMatch(/^pk_/);
    expect(created.scopes).toEqual(['connections:read']);
    const row = await stack.orm.em.fork().findOneOrFail(ApiKey, { id: created.id });
    expect(row.keyHash).not.toContain(created.key);
    expect(JSON.stringify(row)).not.toContain(created.key);

    const reader = createPlugboardClient({ url: stack.url, apiKey: created.key });
    expect((await reader.connections.list.query({})).items).toEqual([]);
    // Outside its scope: 403 SCOPE_MISSING naming the scope.
    const refused = await reader.connectTokens.create
      .mutate({ externalUserId: 'u1' })
      .catch((e) => e);
    expect(plugboardErrorCode(refused)).toBe('SCOPE_MISSING');
    expect(String(refused.message)).toContain('connect_tokens:write');
    const notAdmin = await reader.apiKeys.list.query().catch((e) => e);
    expect(plugboardErrorCode(notAdmin)).toBe('SCOPE_MISSING');

    const listed = await admin().apiKeys.list.query();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(JSON.stringify(listed)).not.toContain(bootstrapKey);
    const mine = listed.items.find((k) => k.id === created.id)!;
    expect(mine.lastUsedAt).not.toBeNull();
    expect(listed.items.find((k) => k.name === 'bootstrap')?.scopes).toEqual(['admin']);

    // Revoked: refused at once here, and within the verdict cache's bound on the other instance,
    // which accepted it just before (so it had the verdict cached).
    expect((await trpcQuery(second.url, LIST, created.key)).status).toBe(200);
    expect(await admin().apiKeys.revoke.mutate({ id: created.id })).toEqual({ revoked: true });
    await refusedOnBoth(created.key);
    expect(await admin().apiKeys.revoke.mutate({ id: created.id })).toEqual({ revoked: false });
    const unknown = await admin()
      .apiKeys.revoke.mutate({ id: newId('key_') })
      .catch((e) => e);
    expect(plugboardErrorCode(unknown)).toBe('NOT_FOUND');

    const audit = await stack.orm.em.fork().find(AuditEntry, { targetId: created.id });
    expect(audit.map((a) => a.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
    expect(audit.every((a) => a.actor.startsWith('key_'))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(created.key);
  });

  it('client credentials: Basic, form body and JSON body each give a Bearer token that works', async () => {
    const client = await newClient(['connections:read', 'connect_tokens:write']);
    expect(client.clientSecret).toMatch(/^pcs_/);
    const attempts = [
      token('grant_type=client_credentials', {
        authorization: basic(client.clientId, client.clientSecret),
      }),
      token(
        `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`,
      ),
      token({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        scope: 'connections:read',
      }),
    ];
    const [a, b, c] = await Promise.all(attempts);
    for (const res of [a!, b!, c!]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const full = await tokenJson(a!);
    expect(full).toEqual({
      access_token: expect.stringMatching(/^pat_/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'connections:read connect_tokens:write',
    });
    const narrow = await tokenJson(c!);
    expect(narrow.scope).toBe('connections:read');

    const rows = await stack.orm.em.fork().find(ApiAccessToken, { clientId: client.clientId });
    expect(JSON.stringify(rows)).not.toContain(full.access_token);
    const secretRow = await stack.orm.em.fork().findOneOrFail(ApiClient, { id: client.clientId });
    expect(JSON.stringify(secretRow)).not.toContain(client.clientSecret);

    // Used on procedures, scopes both ways, on either instance.
    for (const base of [stack.url, second.url]) {
      const ok = await trpcQuery(base, 'server.connections.list?input=%7B%7D', full.access_token);
      expect(ok.status).toBe(200);
    }
    const narrowClient = createPlugboardClient({ url: stack.url, apiKey: narrow.access_token });
    const missing = await narrowClient.connectTokens.create
      .mutate({ externalUserId: 'u1' })
      .catch((e) => e);
    expect(plugboardErrorCode(missing)).toBe('SCOPE_MISSING');
    const wide = createPlugboardClient({ url: stack.url, apiKey: full.access_token });
    expect((await wide.connectTokens.create.mutate({ externalUserId: 'u1' })).token).toMatch(
      /^ctok_/,
    );
    const noWebhooks = await wide.webhooks.list.query().catch((e) => e);
    expect(plugboardErrorCode(noWebhooks)).toBe('SCOPE_MISSING');

    const listed = await admin().apiClients.list.query();
    expect(JSON.stringify(listed)).not.toContain(client.clientSecret);
    expect(listed.items.find((x) => x.id === client.clientId)?.lastUsedAt).not.toBeNull();
  });

  it('every RFC 6749 §5.2 error, with no-store, and invalid_client as 401 with WWW-Authenticate', async () => {
    const client = await newClient(['connections:read']);
    const cases: [string, Promise<Response>, number, string][] = [
      ['no grant_type', token({ client_id: client.clientId }), 400, 'invalid_request'],
      [
        'authorization_code',
        token({
          grant_type: 'authorization_code',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        }),
        400,
        'unsupported_grant_type',
      ],
      [
        'repeated parameter',
        token(
          `grant_type=client_credentials&grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`,
        ),
        400,
        'invalid_request',
      ],
      [
        'two auth methods',
        token(`grant_type=client_credentials&client_secret=${client.clientSecret}`, {
          authorization: basic(client.clientId, client.clientSecret),
        }),
        400,
        'invalid_request',
      ],
      [
        'scope outside the client',
        token({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
          scope: 'admin',
        }),
        400,
        'invalid_scope',
      ],
      [
        'unknown scope',
        token({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
          scope: 'everything',
        }),
        400,
        'invalid_scope',
      ],
      ['no client auth', token({ grant_type: 'client_credentials' }), 401, 'invalid_client'],
      [
        'unknown client',
        token('grant_type=client_credentials', {
          authorization: basic(newId('cli_'), client.clientSecret),
        }),
        401,
        'invalid_client',
      ],
    ];
    for (const [name, pending, status, error] of cases) {
      const res = await pending;
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await tokenJson(res);
      expect({ name, error: body.error }).toEqual({ name, error });
      expect(typeof body.error_description).toBe('string');
      if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(JSON.stringify(body)).not.toContain(client.clientSecret);
    }
  });

  it('an expired token is 401 ACCESS_TOKEN_EXPIRED; a revoked client’s token is refused at once everywhere', async () => {
    const client = await newClient(['connections:read']);
    const res = await token('grant_type=client_credentials', {
      authorization: basic(client.clientId, client.clientSecret),
    });
    const { access_token: accessToken } = await tokenJson(res);
    clock.advance(3601);
    const expired = await trpcQuery(stack.url, 'server.connections.list?input=%7B%7D', accessToken);
    expect(expired.status).toBe(401);
    expect(await trpcError(expired)).toBe('ACCESS_TOKEN_EXPIRED');

    const fresh = await tokenJson(
      await token('grant_type=client_credentials', {
        authorization: basic(client.clientId, client.clientSecret),
      }),
    );
    expect(
      (await trpcQuery(second.url, 'server.connections.list?input=%7B%7D', fresh.access_token))
        .status,
    ).toBe(200);
    expect(await admin().apiClients.revoke.mutate({ id: client.clientId })).toEqual({
      revoked: true,
    });
    await refusedOnBoth(fresh.access_token);
    const again = await token('grant_type=client_credentials', {
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(again.status).toBe(401);
    expect((await tokenJson(again)).error).toBe('invalid_client');
    const audit = await stack.orm.em.fork().find(AuditEntry, { targetId: client.clientId });
    expect(audit.map((a) => a.action).sort()).toEqual(['api_client.created', 'api_client.revoked']);
  });

  it('@plugboard/client with clientId/clientSecret fetches, renews before expiry, and retries once on a 401', async () => {
    const client = await newClient(['connections:read']);
    let tokenRequests = 0;
    let now = Date.now();
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/oauth/token')) tokenRequests += 1;
      return fetch(input, init);
    };
    const pb = createPlugboardClient({
      url: stack.url,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: ['connections:read'],
      fetch: counting,
      now: () => now,
    });
    await pb.connections.list.query({});
    await pb.connections.list.query({});
    expect(tokenRequests).toBe(1);
    // Near its expiry (by the client's clock) the client gets a new token first.
    now += 3590 * 1000;
    await pb.connections.list.query({});
    expect(tokenRequests).toBe(2);
    // The server's clock passes the token's expiry the client does not know about: one 401, one renewal.
    clock.advance(3601);
    await pb.connections.list.query({});
    expect(tokenRequests).toBe(3);

    const wrong = createPlugboardClient({
      url: stack.url,
      clientId: client.clientId,
      clientSecret: `pcs_${'x'.repeat(43)}`,
    });
    const failure = await wrong.connections.list.query({}).catch((e) => e);
    // tRPC wraps what the link's fetch threw; the cause says why.
    expect((failure as Error).cause).toBeInstanceOf(PlugboardTokenError);
    expect(((failure as Error).cause as PlugboardTokenError).error).toBe('invalid_client');
  });

  it('wrong client secrets are rate-limited per IP with 429 and Retry-After', async () => {
    const client = await newClient(['connections:read']);
    const wrong = () =>
      token('grant_type=client_credentials', {
        authorization: basic(client.clientId, `pcs_${'w'.repeat(43)}`),
      });
    let last: Response | undefined;
    for (let i = 0; i < 12; i += 1) {
      last = await wrong();
      if (last.status === 429) break;
      expect(last.status).toBe(401);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right secret waits now (the limit is on the address, not on the guess).
    const right = await token('grant_type=client_credentials', {
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(right.status).toBe(429);
  });
});
