import { newId } from '@plugboard/core';
import { createPlugboardClient, SCOPES } from '@plugboard/client';
import { BrowserAgent, startTestStack, type TestStack } from '@plugboard/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli';

describe('plugboard CLI', () => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
  });
  afterAll(async () => stack?.close());

  const run = async (argv: string[], key: string | null = apiKey) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      argv,
      { url: stack.url, apiKey: key ?? undefined },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('mints a connect link that opens a session', async () => {
    const r = await run(['connect-link', 'user-7', '--ttl', '120']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${stack.url}/connect\\?token=ctok_`));
    const res = await fetch(r.out, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie()[0]).toMatch(/^pb_session=/);
  });

  it('mints a link in the language asked for', async () => {
    const r = await run(['connect-link', 'user-8', '--locale', 'es-mx']);
    expect(r.code).toBe(0);
    const res = await fetch(r.out, { redirect: 'manual' });
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    const me = await fetch(`${stack.url}/trpc/connect.session.me`, { headers: { cookie } });
    const body = (await me.json()) as { result: { data: { session: { locale: string } } } };
    expect(body.result.data.session.locale).toBe('es-MX');
    expect(await run(['connect-link', 'u', '--locale', 'spanish'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^VALIDATION_FAILED: .*BCP 47/),
    });
  });

  it('prints the audit log, filters it and pages it', async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    const connectionId = (await agent.connect(stack.url, 'notion')).connection!.id;
    const client = createPlugboardClient({ url: stack.url, apiKey });
    await client.connections.credentials.mutate({ connectionId });
    await client.connections.credentials.mutate({ connectionId, forceRefresh: true });

    const all = await run(['audit-log', '--connection', connectionId]);
    expect(all.code).toBe(0);
    const lines = all.out.split('\n').map((l) => l.split('\t'));
    expect(lines.map((l) => l.slice(1, 4))).toEqual([
      [expect.stringMatching(/^key_/), 'credentials.read', connectionId],
      [expect.stringMatching(/^key_/), 'credentials.read', connectionId],
      ['user:demo-user', 'connection.created', connectionId],
    ]);
    expect(lines.map((l) => l[4])).toEqual(['refreshed=true', 'refreshed=false', undefined]);
    expect(Date.parse(lines[0]![0]!)).not.toBeNaN();

    const first = await run(['audit-log', '--action', 'credentials.read', '--limit', '1']);
    expect(first.out.split('\n')).toHaveLength(1);
    const cursor = /--cursor (\S+)/.exec(first.err)?.[1];
    expect(cursor).toBeTruthy();
    const second = await run([
      'audit-log',
      '--action',
      'credentials.read',
      '--cursor',
      cursor!,
      '--json',
    ]);
    const page = JSON.parse(second.out) as { items: { detail: unknown }[]; nextCursor: null };
    expect(page.items.map((i) => i.detail)).toEqual([{ refreshed: false }]);
    expect(page.nextCursor).toBeNull();

    expect(await run(['audit-log', '--actor', 'user:nobody'])).toMatchObject({
      code: 0,
      out: '',
      err: 'No entries.',
    });
    expect(await run(['audit-log', '--actor', 'root'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^VALIDATION_FAILED: .*actor/),
    });
    expect(await run(['audit-log', '--cursor', 'forged'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^VALIDATION_FAILED: The cursor is invalid/),
    });
    expect(await run(['audit-log', '--frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Unknown option/),
    });
  });

  it('explains what is wrong', async () => {
    expect(await run(['connect-link'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/needs the external user id/),
    });
    expect(await run(['frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Unknown command/),
    });
    expect(await run(['connect-link', 'u'], null)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/PLUGBOARD_API_KEY/),
    });
    expect(await run(['connect-link', 'u', '--ttl', '5'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^VALIDATION_FAILED: .*ttlSeconds/),
    });
    expect(await run(['connect-link', 'u'], newId('pk_'))).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^API_KEY_INVALID/),
    });
  });
  it('names every scope the contracts define, and each one can be given to a key', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    const listed = /Scopes \(from the contracts\):\s+([^]*?)\.\n/.exec(help.out)?.[1];
    expect(listed?.split(/,\s+/)).toEqual([...SCOPES]);
    for (const scope of SCOPES) {
      const created = await run(['api-keys', 'create', `only-${scope}`, '--scope', scope]);
      expect(created).toMatchObject({ code: 0, err: expect.stringContaining(`(${scope})`) });
    }
  });
  it('creates, lists and revokes API keys and clients; secrets only at creation', async () => {
    const created = await run(['api-keys', 'create', 'reporting', '--scope', 'connections:read']);
    expect(created.code).toBe(0);
    const key = created.out;
    expect(key).toMatch(/^pk_/);
    const keyId = /Created (key_\S+)/.exec(created.err)![1]!;
    const reader = await run(['connect-link', 'u-9'], key);
    expect(reader).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^SCOPE_MISSING: .*connect_tokens:write/),
    });
    const listed = await run(['api-keys', 'list']);
    expect(listed.out).toContain(`${keyId}\treporting\tconnections:read`);
    expect(listed.out).not.toContain(key);
    expect(await run(['api-keys', 'revoke', keyId])).toMatchObject({
      code: 0,
      err: `Revoked ${keyId}.`,
    });
    expect((await run(['api-keys', 'list'])).out).toMatch(new RegExp(`${keyId}.*revoked`));

    const client = await run([
      'api-clients',
      'create',
      'backend',
      '--scope',
      'connect_tokens:write',
    ]);
    expect(client.code).toBe(0);
    const [, clientId] = /client_id=(cli_\S+)/.exec(client.out)!;
    const [, clientSecret] = /client_secret=(pcs_\S+)/.exec(client.out)!;
    const viaClient = createPlugboardClient({
      url: stack.url,
      clientId: clientId!,
      clientSecret: clientSecret!,
    });
    expect((await viaClient.connectTokens.create.mutate({ externalUserId: 'u-10' })).token).toMatch(
      /^ctok_/,
    );
    const clients = await run(['api-clients', 'list']);
    expect(clients.out).toContain(clientId);
    expect(clients.out).not.toContain(clientSecret);
    expect((await run(['api-clients', 'revoke', clientId!])).code).toBe(0);
    expect(await run(['api-clients', 'create', 'bad', '--scope', 'root'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^VALIDATION_FAILED/),
    });
    expect((await run(['api-keys', 'rotate'])).code).toBe(2);
  });
});
