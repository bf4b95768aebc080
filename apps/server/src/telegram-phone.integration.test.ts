import { newId } from '@plugboard/core';
import { ConnectFlow, Connection } from '@plugboard/db';
import { describe, expect, inject, it } from 'vitest';
import { testDatabases } from './testing';
import { ADA, BABBAGE, useTelegramStack } from './testing/telegram-suite';

/**
 * Telegram by phone over real HTTP: Plugboard server ↔ the mock's MTProto emulation (HTTP gateway,
 * real SRP for 2FA), on SQLite and PostgreSQL. Phone → code → password, brute-force limits,
 * Telegram's own errors, logout on disconnect, and nothing secret in the server log.
 * Shared setup and helpers: apps/server/src/testing/telegram-suite.ts.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('Telegram phone sign-in on %s', (_db, database) => {
  const t = useTelegramStack(database);
  const { control, newBrowser, latestCode, trpcError, flowSecrets, mtproto } = t;

  it('connects by phone code, stores the sealed session, and logs out on disconnect', async () => {
    const api = (await newBrowser()).trpc(t.stack.url);
    const sent = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    expect(sent).toEqual({
      flowId: expect.stringMatching(/^tgf_/),
      codeLength: 5,
      timeoutSeconds: 300,
    });
    const secrets = await flowSecrets(sent.flowId);
    expect(secrets.row).toMatchObject({ kind: 'phone', step: 'code_sent', providerId: 'telegram' });
    expect(secrets.state).toMatchObject({ phone: ADA });
    expect(secrets.row.stateEnc).not.toContain(secrets.session!);
    const code = await latestCode(ADA);

    const result = await api.connect.telegram.verifyCode.mutate({ flowId: sent.flowId, code });
    expect(result).toMatchObject({
      status: 'connected',
      connection: {
        providerId: 'telegram',
        providerName: 'Telegram',
        accountId: '100000001',
        label: 'Ada Lovelace (@ada)',
        status: 'active',
        metadata: {
          providerId: 'telegram',
          userId: '100000001',
          username: 'ada',
          loginMethod: 'phone',
        },
      },
    });
    const [conn, ...rest] = await api.connect.connections.list.query();
    expect(rest).toHaveLength(0);
    expect(conn?.label).toBe('Ada Lovelace (@ada)');
    // The flow ends clean: no sealed secret stays behind in it.
    const done = await flowSecrets(sent.flowId);
    expect(done.row).toMatchObject({ step: 'completed', connectionId: conn!.id });
    expect(done.row.stateEnc).toBeNull();

    // The host's backend gets the gateway session as the access token; it works at Telegram.
    const creds = await t.plugboard.connections.credentials.mutate({ connectionId: conn!.id });
    expect(creds).toMatchObject({ providerId: 'telegram', expiresAt: null, refreshed: false });
    expect(creds.accessToken).toBe(secrets.session);
    expect((await mtproto('users.getMe', creds.accessToken)).status).toBe(200);
    const row = await t.stack.orm.em.fork().findOneOrFail(Connection, { id: conn!.id });
    expect(row.credentialsEnc).not.toContain(creds.accessToken);

    const out = await api.connect.connections.disconnect.mutate({ connectionId: conn!.id });
    expect(out).toEqual({ connectionId: conn!.id, revokedAtProvider: true });
    expect(await api.connect.connections.list.query()).toEqual([]);
    const after = await mtproto('users.getMe', creds.accessToken);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({
      error_code: 401,
      error_message: 'AUTH_KEY_UNREGISTERED',
    });

    const logs = t.stack.logs.join('');
    expect(logs).toContain('telegram account connected');
    // Short values are looked for as JSON strings: a bare 5-digit code can occur in a timestamp.
    for (const secret of [`"${code}"`, secrets.session!, secrets.phoneCodeHash!, ADA]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('a wrong code is CODE_INVALID and the right one still works', async () => {
    const api = (await newBrowser()).trpc(t.stack.url);
    const { flowId } = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const code = await latestCode(ADA);
    const wrong = code === '00000' ? '11111' : '00000';
    const err = await trpcError(api.connect.telegram.verifyCode.mutate({ flowId, code: wrong }));
    expect(err.data.code).toBe('CODE_INVALID');
    expect(err.message).toBe('That code is not right. Check it and try again.');
    const ok = await api.connect.telegram.verifyCode.mutate({ flowId, code });
    expect(ok.status).toBe('connected');
    expect(t.stack.logs.join('')).not.toContain(`"${wrong}"`);
  });

  it('fails the flow after five wrong codes', async () => {
    const api = (await newBrowser()).trpc(t.stack.url);
    const { flowId } = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const code = await latestCode(ADA);
    const wrong = code === '00000' ? '11111' : '00000';
    for (let i = 1; i <= 4; i++) {
      const err = await trpcError(api.connect.telegram.verifyCode.mutate({ flowId, code: wrong }));
      expect(err.data.code).toBe('CODE_INVALID');
    }
    const fifth = await trpcError(api.connect.telegram.verifyCode.mutate({ flowId, code: wrong }));
    expect(fifth.data.code).toBe('TOO_MANY_ATTEMPTS');
    // Even the right code cannot rescue it now.
    const right = await trpcError(api.connect.telegram.verifyCode.mutate({ flowId, code }));
    expect(right.data.code).toBe('TOO_MANY_ATTEMPTS');
    const { row } = await flowSecrets(flowId);
    expect(row).toMatchObject({ step: 'failed', errorCode: 'TOO_MANY_ATTEMPTS', attempts: 5 });
    expect(row.stateEnc).toBeNull();
    expect(await t.stack.orm.em.fork().count(Connection, {})).toBe(0);
  });

  it('an expired code is CODE_EXPIRED', async () => {
    const api = (await newBrowser()).trpc(t.stack.url);
    const { flowId } = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const code = await latestCode(ADA);
    await control('POST', '/clock/advance', { seconds: 301 });
    const err = await trpcError(api.connect.telegram.verifyCode.mutate({ flowId, code }));
    expect(err.data.code).toBe('CODE_EXPIRED');
    expect(err.message).toMatch(/new code/);
  });

  it('asks for the 2FA password, refuses a wrong one, and connects with the right one', async () => {
    const api = (await newBrowser()).trpc(t.stack.url);
    const { flowId } = await api.connect.telegram.sendCode.mutate({ phone: BABBAGE });
    const code = await latestCode(BABBAGE);
    const step = await api.connect.telegram.verifyCode.mutate({ flowId, code });
    expect(step).toEqual({ status: 'password_needed', hint: 'the usual' });

    const wrong = await trpcError(
      api.connect.telegram.verifyPassword.mutate({ flowId, password: 'hunter3' }),
    );
    expect(wrong.data.code).toBe('PASSWORD_INVALID');
    const ok = await api.connect.telegram.verifyPassword.mutate({ flowId, password: 'hunter2' });
    expect(ok).toMatchObject({
      status: 'connected',
      connection: { accountId: '100000002', label: 'Charles Babbage (@babbage)' },
    });
    const logs = t.stack.logs.join('');
    for (const secret of ['hunter2', 'hunter3', `"${code}"`, BABBAGE]) {
      expect(logs).not.toContain(secret);
    }
  });

  it("passes Telegram's flood wait on with the seconds to wait", async () => {
    await control('POST', '/faults', {
      provider: 'telegram',
      endpoint: 'auth.sendCode',
      kind: 'rate_limit',
      retryAfterSeconds: 30,
    });
    const api = (await newBrowser()).trpc(t.stack.url);
    const err = await trpcError(api.connect.telegram.sendCode.mutate({ phone: ADA }));
    expect(err.data.code).toBe('FLOOD_WAIT');
    expect(err.data.retryAfterSeconds).toBe(30);
    expect(err.message).toMatch(/30 seconds/);
    expect(await t.stack.orm.em.fork().count(ConnectFlow, {})).toBe(0);
  });

  it('refuses malformed input and an unavailable Telegram with clear codes', async () => {
    const api = (await newBrowser()).trpc(t.stack.url);
    for (const phone of ['15550000001', '+0123456789', '+1555', `+1${'5'.repeat(20)}`]) {
      const err = await trpcError(api.connect.telegram.sendCode.mutate({ phone }));
      expect(err.data.code).toBe('VALIDATION_FAILED');
    }
    const extra = await trpcError(
      api.connect.telegram.sendCode.mutate({ phone: ADA, sneaky: 1 } as never),
    );
    expect(extra.data.code).toBe('VALIDATION_FAILED');
    await control('POST', '/faults', {
      provider: 'telegram',
      endpoint: 'auth.sendCode',
      kind: 'error_500',
    });
    const down = await trpcError(api.connect.telegram.sendCode.mutate({ phone: ADA }));
    expect(down.data.code).toBe('PROVIDER_UNAVAILABLE');
    const unknown = await trpcError(
      api.connect.telegram.verifyCode.mutate({ flowId: newId('tgf_') as never, code: '12345' }),
    );
    expect(unknown.data.code).toBe('NOT_FOUND');
    const oauth = await trpcError(api.connect.oauth.start.mutate({ providerId: 'telegram' }));
    expect(oauth.data.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(oauth.message).toMatch(/Telegram steps/);
  });

  it("does not let another session continue someone else's flow", async () => {
    const owner = (await newBrowser()).trpc(t.stack.url);
    const { flowId } = await owner.connect.telegram.sendCode.mutate({ phone: ADA });
    const other = (await newBrowser()).trpc(t.stack.url);
    const err = await trpcError(
      other.connect.telegram.verifyCode.mutate({ flowId, code: await latestCode(ADA) }),
    );
    expect(err.data.code).toBe('NOT_FOUND');
  });
});
