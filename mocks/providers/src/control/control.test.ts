import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMockProviders } from '../index';
import { basicAuth, expectJson, expectJsonEqual, submitConsent } from '../testing/harness';
import { useTestMock } from '../testing/harness';

const CLIENT_ID = 'control-test';
const CLIENT_SECRET = 'control-test-secret';
const REDIRECT_URI = 'http://app.test/callback';
const basic = basicAuth(CLIENT_ID, CLIENT_SECRET);

const mock = useTestMock({
  provider: 'notion',
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUris: [REDIRECT_URI],
});

const authorizeUrl = () =>
  `${mock.url}/notion/v1/oauth/authorize?${new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    owner: 'user',
    redirect_uri: REDIRECT_URI,
    state: 's',
  })}`;

async function freshCode(): Promise<string> {
  const consent = await submitConsent(authorizeUrl(), 'Allow');
  return new URL(consent.location ?? '').searchParams.get('code') ?? '';
}

function postToken(code: string, signal?: AbortSignal) {
  return fetch(`${mock.url}/notion/v1/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic },
    body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }),
    ...(signal === undefined ? {} : { signal }),
  });
}

describe('faults', () => {
  it('answers error_500 for the next `count` calls, then behaves again', async () => {
    await mock.control.fault({
      provider: 'notion',
      endpoint: 'token',
      kind: 'error_500',
      count: 2,
    });
    for (let i = 0; i < 2; i++) {
      const response = await postToken('whatever');
      await expectJson(response, 500, { object: 'error', status: 500 });
    }
    expect((await postToken(await freshCode())).status).toBe(200);
  });

  it('answers rate_limit with 429 and Retry-After', async () => {
    await mock.control.fault({ provider: 'notion', endpoint: 'identity', kind: 'rate_limit' });
    await mock.control.fault({
      provider: 'notion',
      endpoint: 'identity',
      kind: 'rate_limit',
      retryAfterSeconds: 7,
    });
    const first = await fetch(`${mock.url}/notion/v1/users/me`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('30');
    expect(await first.json()).toMatchObject({ code: 'rate_limited' });
    const second = await fetch(`${mock.url}/notion/v1/users/me`);
    expect(second.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${mock.url}/notion/v1/users/me`)).status).toBe(400);
  });

  it('answers invalid_grant even for a valid code', async () => {
    const code = await freshCode();
    await mock.control.fault({ provider: 'notion', endpoint: 'token', kind: 'invalid_grant' });
    const response = await postToken(code);
    await expectJsonEqual(response, 400, {
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
  });

  it('holds a request on timeout until the client gives up, and reset drops it', async () => {
    await mock.control.fault({ provider: 'notion', endpoint: 'token', kind: 'timeout' });
    await expect(postToken('x', AbortSignal.timeout(300))).rejects.toThrow();

    await mock.control.fault({ provider: 'notion', endpoint: 'token', kind: 'timeout' });
    const hanging = postToken('x');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const log = await mock.control.requests({ provider: 'notion', endpoint: 'token' });
    expect(log.map((e) => e.status)).toEqual([null, null]);
    await mock.control.reset();
    await expect(hanging).rejects.toThrow();
  });

  it('lets close() end held requests', async () => {
    const own = await startMockProviders({ port: 0 });
    await fetch(`${own.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', endpoint: 'identity', kind: 'timeout' }),
    });
    const hanging = fetch(`${own.url}/notion/v1/users/me`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await own.close();
    await expect(hanging).rejects.toThrow();
  });

  it('validates fault requests', async () => {
    const bad = async (body: unknown) => (await mock.control.call('POST', '/faults', body)).status;
    expect(await bad({ provider: 'nope', endpoint: 'token', kind: 'error_500' })).toBe(404);
    expect(await bad({ provider: 'notion', endpoint: 'tokn', kind: 'error_500' })).toBe(400);
    expect(await bad({ provider: 'notion', endpoint: 'token', kind: 'explode' })).toBe(400);
    expect(await bad({ provider: 'notion', endpoint: 'token', kind: 'timeout', count: 0 })).toBe(
      400,
    );
  });
});

describe('request log', () => {
  it('records calls newest last, filters by provider and endpoint, and holds no secrets', async () => {
    const code = await freshCode();
    const tokenResponse = await postToken(code);
    const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };

    const all = await mock.control.requests();
    expect(all.map((e) => e.endpoint)).toEqual(['authorize', 'consent', 'token']);
    expect(all.map((e) => e.status)).toEqual([200, 302, 200]);
    expect(all[0]).toMatchObject({
      id: expect.any(String),
      at: expect.any(String),
      provider: 'notion',
      method: 'GET',
      path: '/notion/v1/oauth/authorize',
    });

    const token = await mock.control.requests({ provider: 'notion', endpoint: 'token' });
    expect(token).toHaveLength(1);
    expect(token[0]).toMatchObject({ method: 'POST', path: '/notion/v1/oauth/token' });
    expect(await mock.control.requests({ provider: 'stripe' })).toEqual([]);

    const serialized = JSON.stringify(all);
    for (const secret of [CLIENT_SECRET, code, accessToken]) {
      expect(serialized).not.toContain(secret);
    }
  });

  it('stamps entries with the mock clock', async () => {
    await mock.control.advanceClock(3600);
    await fetch(`${mock.url}/notion/v1/users/me`);
    const [entry] = await mock.control.requests();
    expect(Date.parse(entry?.at ?? '') - Date.now()).toBeGreaterThan(3500_000);
  });
});

describe('POST /__control/clients/ensure', () => {
  const OTHER_URI = 'http://localhost:3161/oauth/callback/notion';
  const ensure = (input: Record<string, unknown>) =>
    mock.control.call('POST', '/clients/ensure', {
      provider: 'notion',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      ...input,
    });
  const authorizeStatus = async (redirectUri: string, clientId = CLIENT_ID) =>
    (
      await fetch(
        `${mock.url}/notion/v1/oauth/authorize?${new URLSearchParams({
          client_id: clientId,
          response_type: 'code',
          owner: 'user',
          redirect_uri: redirectUri,
        })}`,
      )
    ).status;

  it('adds a redirect URI to a registered client, keeping the ones it had', async () => {
    expect(await authorizeStatus(OTHER_URI)).toBe(400);
    const response = await ensure({ redirectUris: [OTHER_URI] });
    await expectJsonEqual(response, 200, {
      client: {
        provider: 'notion',
        clientId: CLIENT_ID,
        name: CLIENT_ID,
        redirectUris: [REDIRECT_URI, OTHER_URI],
      },
      added: [OTHER_URI],
    });
    expect(await authorizeStatus(OTHER_URI)).toBe(200);
    expect(await authorizeStatus(REDIRECT_URI)).toBe(200);
  });

  it('is idempotent: ensuring again adds nothing and duplicates nothing', async () => {
    await ensure({ redirectUris: [OTHER_URI, OTHER_URI] });
    const again = (await (await ensure({ redirectUris: [OTHER_URI] })).json()) as {
      client: { redirectUris: string[] };
      added: string[];
    };
    expect(again.added).toEqual([]);
    expect(again.client.redirectUris).toEqual([REDIRECT_URI, OTHER_URI]);
  });

  it('creates the client when it does not exist', async () => {
    const response = await ensure({ clientId: 'new-client', redirectUris: [OTHER_URI] });
    expect(response.status).toBe(200);
    expect(await authorizeStatus(OTHER_URI, 'new-client')).toBe(200);
  });

  it('refuses another secret for a known client and changes nothing', async () => {
    const response = await ensure({ clientSecret: 'guessed', redirectUris: [OTHER_URI] });
    expect(response.status).toBe(409);
    const answer = (await response.json()) as { error: string; message: string };
    expect(answer.error).toBe('secret_mismatch');
    expect(answer.message).not.toContain(CLIENT_SECRET);
    expect(answer.message).not.toContain('guessed');
    expect(await authorizeStatus(OTHER_URI)).toBe(400);
  });

  it('rejects malformed input with a message naming the field', async () => {
    const response = await ensure({ redirectUris: 'http://x' });
    await expectJson(response, 400, { error: 'invalid_request' });
    const unknown = await mock.control.call('POST', '/clients/ensure', {
      provider: 'nope',
      clientId: 'a',
      clientSecret: 'b',
      redirectUris: [],
    });
    expect(unknown.status).toBe(404);
  });
});

describe('reset and configuration', () => {
  it('clears clients, accounts, clock, faults and the log', async () => {
    await mock.control.setAccount('notion', { name: 'Grace Hopper' });
    await mock.control.advanceClock(100);
    await mock.control.fault({ provider: 'notion', endpoint: 'authorize', kind: 'error_500' });
    await mock.control.reset();

    expect(await mock.control.requests()).toEqual([]);
    const clock = (await (await mock.control.call('GET', '/clock')).json()) as { now: string };
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(5_000);
    const account = (await (
      await mock.control.call('GET', '/accounts?provider=notion')
    ).json()) as {
      account: { name: string };
    };
    expect(account.account.name).toBe('Ada Lovelace');
    // The client registered in beforeEach is gone, and no fault fires.
    expect((await fetch(authorizeUrl(), { redirect: 'manual' })).status).toBe(400);
  });

  it('starts with the committed dev clients', async () => {
    const page = await fetch(
      `${mock.url}/notion/v1/oauth/authorize?${new URLSearchParams({
        client_id: 'plugboard-dev-notion',
        response_type: 'code',
        owner: 'user',
        redirect_uri: 'http://localhost:3000/oauth/callback/notion',
      })}`,
    );
    expect(page.status).toBe(200);
  });

  it('loads clients from another file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-providers-'));
    const file = join(dir, 'clients.json');
    writeFileSync(
      file,
      JSON.stringify({
        notion: [{ clientId: 'from-file', clientSecret: 's', redirectUris: [REDIRECT_URI] }],
      }),
    );
    const own = await startMockProviders({ port: 0, clientsFile: file });
    try {
      const status = async (clientId: string) =>
        (
          await fetch(
            `${own.url}/notion/v1/oauth/authorize?client_id=${clientId}&response_type=code&owner=user`,
          )
        ).status;
      expect(await status('from-file')).toBe(200);
      expect(await status('plugboard-dev-notion')).toBe(400);
    } finally {
      await own.close();
    }
  });

  it('rejects account fields the provider does not have', async () => {
    const response = await mock.control.call('POST', '/accounts', {
      provider: 'notion',
      account: { shoeSize: 42 },
    });
    await expectJson(response, 400, { error: 'invalid_request' });
  });

  it('lists the providers, their endpoints and routes', async () => {
    const response = await mock.control.call('GET', '');
    // Other personalities are listed too; this checks the entry the rest of the file relies on.
    const { providers } = (await response.json()) as { providers: { id: string }[] };
    expect(providers.find((p) => p.id === 'notion')).toEqual({
      id: 'notion',
      name: 'Notion',
      endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'introspect', 'data'],
      routes: expect.arrayContaining([
        { method: 'GET', path: '/notion/v1/oauth/authorize', endpoint: 'authorize' },
        { method: 'POST', path: '/notion/v1/oauth/token', endpoint: 'token' },
        { method: 'POST', path: '/notion/v1/search', endpoint: 'data' },
      ]),
    });
  });
});
