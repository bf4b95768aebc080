import { createPlugboardClient, type PlugboardClient } from '@plugboard/client';
import type { TelegramQrEvent } from '@plugboard/contracts';
import { flowStateAad, ManualClock, newId, open } from '@plugboard/core';
import { ConnectFlow, Connection } from '@plugboard/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * Telegram over real HTTP: Plugboard server ↔ the mock's MTProto emulation (HTTP gateway, real
 * SRP for 2FA), on SQLite and PostgreSQL. Phone → code → password, QR login over the SSE
 * subscription, brute-force limits, Telegram's own errors, logout on disconnect, and nothing
 * secret in the server log.
 */
const databases = testDatabases(inject('postgresUrl'));

const ADA = '+15550000001';
const BABBAGE = '+15550000002';

describe.each(databases)('Telegram on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let plugboard: PlugboardClient;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      clock: new ManualClock(),
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
  });
  afterAll(async () => stack?.close());
  afterEach(async () => {
    await control('POST', '/reset');
    await stack.orm.em.fork().nativeDelete(Connection, {});
    await stack.orm.em.fork().nativeDelete(ConnectFlow, {});
  });

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.mockUrl}/__control${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  const newBrowser = async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    return agent;
  };

  /** The newest code the mock's "phone" received. */
  async function latestCode(phone: string): Promise<string> {
    const res = await control('GET', `/telegram/inbox?phone=${encodeURIComponent(phone)}`);
    const inbox = (await res.json()) as { messages: { code: string }[] };
    return inbox.messages.at(-1)!.code;
  }

  async function trpcError(promise: Promise<unknown>) {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCClientError);
    return err as { message: string; data: { code: string; retryAfterSeconds?: number } };
  }

  /** The flow's sealed values, opened the way only the server can. */
  async function flowSecrets(flowId: string) {
    const row = await stack.orm.em.fork().findOneOrFail(ConnectFlow, { id: flowId });
    const keyring = stack.server.deps.keyring;
    const state = row.stateEnc
      ? (JSON.parse(open(keyring, row.stateEnc, flowStateAad(row.id))) as {
          phone?: string;
          session: string;
          phoneCodeHash?: string;
        })
      : null;
    return {
      row,
      state,
      session: state?.session ?? null,
      phoneCodeHash: state?.phoneCodeHash ?? null,
    };
  }

  /** Calls the mock's MTProto emulation directly, as another client holding `session` would. */
  const mtproto = (method: string, session: string) =>
    fetch(`${stack.mockUrl}/telegram/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-session': session },
      body: '{}',
    });

  /**
   * `connect.telegram.qr.watch` over SSE, read with fetch as httpSubscriptionLink's EventSource
   * would (Node 20 has no EventSource). `next()` waits for the next data event.
   */
  function watch(agent: BrowserAgent, flowId: string) {
    const abort = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ flowId }));
    const events: TelegramQrEvent[] = [];
    const errors: unknown[] = [];
    let wake: () => void = () => undefined;
    let reader: ReadableStreamDefaultReader<string> | undefined;
    const done = (async () => {
      const res = await agent.fetch(`${stack.url}/trpc/connect.telegram.qr.watch?input=${input}`, {
        headers: { accept: 'text/event-stream' },
        signal: abort.signal,
      });
      reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (let ended = false; !ended;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += chunk.value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split('\n');
          const event = lines
            .find((l) => l.startsWith('event:'))
            ?.slice(6)
            .trim();
          const data = lines
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          // tRPC's end of a subscription: the generator returned.
          if (event === 'return') ended = true;
          if (!data) continue;
          if (event === 'serialized-error') errors.push(JSON.parse(data));
          else if (event === undefined) events.push(JSON.parse(data) as TelegramQrEvent);
          wake();
        }
      }
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) errors.push(err);
    });
    let read = 0;
    return {
      errors,
      async next(timeoutMs = 8000): Promise<TelegramQrEvent> {
        const deadline = Date.now() + timeoutMs;
        while (events.length <= read) {
          if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
          if (Date.now() > deadline) throw new Error('no subscription event in time');
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 100);
          });
        }
        return events[read++]!;
      },
      async close() {
        abort.abort();
        await reader?.cancel().catch(() => undefined);
        await done;
      },
    };
  }

  it('connects by phone code, stores the sealed session, and logs out on disconnect', async () => {
    const api = (await newBrowser()).trpc(stack.url);
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
    const creds = await plugboard.connections.credentials.mutate({ connectionId: conn!.id });
    expect(creds).toMatchObject({ providerId: 'telegram', expiresAt: null, refreshed: false });
    expect(creds.accessToken).toBe(secrets.session);
    expect((await mtproto('users.getMe', creds.accessToken)).status).toBe(200);
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: conn!.id });
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

    const logs = stack.logs.join('');
    expect(logs).toContain('telegram account connected');
    // Short values are looked for as JSON strings: a bare 5-digit code can occur in a timestamp.
    for (const secret of [`"${code}"`, secrets.session!, secrets.phoneCodeHash!, ADA]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('a wrong code is CODE_INVALID and the right one still works', async () => {
    const api = (await newBrowser()).trpc(stack.url);
    const { flowId } = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const code = await latestCode(ADA);
    const wrong = code === '00000' ? '11111' : '00000';
    const err = await trpcError(api.connect.telegram.verifyCode.mutate({ flowId, code: wrong }));
    expect(err.data.code).toBe('CODE_INVALID');
    expect(err.message).toBe('That code is not right. Check it and try again.');
    const ok = await api.connect.telegram.verifyCode.mutate({ flowId, code });
    expect(ok.status).toBe('connected');
    expect(stack.logs.join('')).not.toContain(`"${wrong}"`);
  });

  it('fails the flow after five wrong codes', async () => {
    const api = (await newBrowser()).trpc(stack.url);
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
    expect(await stack.orm.em.fork().count(Connection, {})).toBe(0);
  });

  it('an expired code is CODE_EXPIRED', async () => {
    const api = (await newBrowser()).trpc(stack.url);
    const { flowId } = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const code = await latestCode(ADA);
    await control('POST', '/clock/advance', { seconds: 301 });
    const err = await trpcError(api.connect.telegram.verifyCode.mutate({ flowId, code }));
    expect(err.data.code).toBe('CODE_EXPIRED');
    expect(err.message).toMatch(/new code/);
  });

  it('asks for the 2FA password, refuses a wrong one, and connects with the right one', async () => {
    const api = (await newBrowser()).trpc(stack.url);
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
    const logs = stack.logs.join('');
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
    const api = (await newBrowser()).trpc(stack.url);
    const err = await trpcError(api.connect.telegram.sendCode.mutate({ phone: ADA }));
    expect(err.data.code).toBe('FLOOD_WAIT');
    expect(err.data.retryAfterSeconds).toBe(30);
    expect(err.message).toMatch(/30 seconds/);
    expect(await stack.orm.em.fork().count(ConnectFlow, {})).toBe(0);
  });

  it('refuses malformed input and an unavailable Telegram with clear codes', async () => {
    const api = (await newBrowser()).trpc(stack.url);
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
    const owner = (await newBrowser()).trpc(stack.url);
    const { flowId } = await owner.connect.telegram.sendCode.mutate({ phone: ADA });
    const other = (await newBrowser()).trpc(stack.url);
    const err = await trpcError(
      other.connect.telegram.verifyCode.mutate({ flowId, code: await latestCode(ADA) }),
    );
    expect(err.data.code).toBe('NOT_FOUND');
  });

  it('refuses every Telegram step without a session', async () => {
    const agent = new BrowserAgent(stack.url);
    const api = agent.trpc(stack.url);
    const flowId = newId('tgf_') as never;
    for (const call of [
      () => api.connect.telegram.sendCode.mutate({ phone: ADA }),
      () => api.connect.telegram.verifyCode.mutate({ flowId, code: '12345' }),
      () => api.connect.telegram.verifyPassword.mutate({ flowId, password: 'x' }),
      () => api.connect.telegram.qr.start.mutate(),
    ]) {
      expect((await trpcError(call())).data.code).toBe('UNAUTHENTICATED');
    }
    const sub = watch(agent, flowId);
    await expect(sub.next()).rejects.toThrow(/UNAUTHENTICATED/);
    await sub.close();
  });

  it('connects by QR: the watch shows the login URL, then the connection once a phone approves', async () => {
    const agent = await newBrowser();
    const api = agent.trpc(stack.url);
    const started = await api.connect.telegram.qr.start.mutate();
    expect(started.loginUrl).toMatch(/^tg:\/\/login\?token=[A-Za-z0-9_-]{43}$/);
    const sub = watch(agent, started.flowId);
    try {
      expect(await sub.next()).toEqual({
        status: 'waiting',
        loginUrl: started.loginUrl,
        expiresAt: started.expiresAt,
      });
      const token = new URL(started.loginUrl).searchParams.get('token')!;
      const approved = await control('POST', '/telegram/qr/approve', { token, phone: ADA });
      expect(approved.status).toBe(200);
      expect(await sub.next()).toMatchObject({
        status: 'connected',
        connection: {
          label: 'Ada Lovelace (@ada)',
          metadata: { loginMethod: 'qr' },
        },
      });
      expect(stack.logs.join('')).not.toContain(token);
    } finally {
      await sub.close();
    }
    expect(await api.connect.connections.list.query()).toHaveLength(1);
  });

  it('re-issues the QR login URL when the token expires', async () => {
    const agent = await newBrowser();
    const api = agent.trpc(stack.url);
    const started = await api.connect.telegram.qr.start.mutate();
    const sub = watch(agent, started.flowId);
    try {
      expect((await sub.next()).status).toBe('waiting');
      await control('POST', '/clock/advance', { seconds: 31 });
      const next = await sub.next();
      expect(next.status).toBe('waiting');
      const renewed = next as Extract<TelegramQrEvent, { status: 'waiting' }>;
      expect(renewed.loginUrl).toMatch(/^tg:\/\/login\?token=/);
      expect(renewed.loginUrl).not.toBe(started.loginUrl);
      expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(started.expiresAt));
    } finally {
      await sub.close();
    }
    // The client left: the server stops polling Telegram for it.
    const polls = async () => {
      const res = await control(
        'GET',
        '/requests?provider=telegram&endpoint=auth.exportLoginToken',
      );
      return ((await res.json()) as { requests: unknown[] }).requests.length;
    };
    await new Promise((r) => setTimeout(r, 300));
    const before = await polls();
    await new Promise((r) => setTimeout(r, 2500));
    expect(await polls()).toBe(before);
  });

  it('a QR login for a 2FA account waits for the password, then connects', async () => {
    const agent = await newBrowser();
    const api = agent.trpc(stack.url);
    const started = await api.connect.telegram.qr.start.mutate();
    const sub = watch(agent, started.flowId);
    try {
      expect((await sub.next()).status).toBe('waiting');
      const token = new URL(started.loginUrl).searchParams.get('token')!;
      await control('POST', '/telegram/qr/approve', { token, phone: BABBAGE });
      expect(await sub.next()).toEqual({ status: 'password_needed', hint: 'the usual' });
      const ok = await api.connect.telegram.verifyPassword.mutate({
        flowId: started.flowId,
        password: 'hunter2',
      });
      expect(ok.connection.label).toBe('Charles Babbage (@babbage)');
      expect(await sub.next()).toMatchObject({
        status: 'connected',
        connection: { id: ok.connection.id },
      });
    } finally {
      await sub.close();
    }
  });
});
