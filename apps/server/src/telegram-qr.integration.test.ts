import type { TelegramQrEvent } from '@plugboard/contracts';
import { newId } from '@plugboard/core';
import { describe, expect, inject, it } from 'vitest';
import { BrowserAgent, testDatabases } from './testing';
import { ADA, BABBAGE, useTelegramStack } from './testing/telegram-suite';

/**
 * Telegram by QR login over real HTTP, on SQLite and PostgreSQL: the `qr.watch` subscription
 * (SSE) shows the login URL, re-issues it, waits for a 2FA password, then the connection; and no
 * Telegram step works without a session.
 * Shared setup and helpers: apps/server/src/testing/telegram-suite.ts.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('Telegram QR sign-in on %s', (_db, database) => {
  const t = useTelegramStack(database);
  const { control, newBrowser, trpcError, watch } = t;

  it('refuses every Telegram step without a session', async () => {
    const agent = new BrowserAgent(t.stack.url);
    const api = agent.trpc(t.stack.url);
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
    const api = agent.trpc(t.stack.url);
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
      expect(t.stack.logs.join('')).not.toContain(token);
    } finally {
      await sub.close();
    }
    expect(await api.connect.connections.list.query()).toHaveLength(1);
  });

  it('re-issues the QR login URL when the token expires', async () => {
    const agent = await newBrowser();
    const api = agent.trpc(t.stack.url);
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
    const api = agent.trpc(t.stack.url);
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
