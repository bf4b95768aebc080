import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * The Alloy model: the host's backend starts a flow for its user, sends the browser to the
 * returned link, gets it back on its own redirect URL, and completes. The browser that comes back
 * must be the one that opened the link.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('headless OAuth on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let plugboard: PlugboardClient;
  let host: Server;
  let hostUrl = '';

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    // The host app's page the browser returns to.
    host = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('host app'),
    );
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    const addr = host.address();
    hostUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/integrations/done?keep=1`;
  });
  afterAll(async () => {
    host?.close();
    await stack?.close();
  });

  const tokenCalls = async () =>
    (
      (await (
        await fetch(`${stack.mockUrl}/__control/requests?provider=notion&endpoint=token`)
      ).json()) as {
        requests: unknown[];
      }
    ).requests.length;

  const start = () =>
    plugboard.oauth.start.mutate({
      providerId: 'notion',
      externalUserId: 'host-user-1',
      redirectUrl: hostUrl,
    });

  it('start → launch → consent → back to the host → complete gives the connection', async () => {
    const started = await start();
    const launch = new URL(started.authorizationUrl);
    expect(`${launch.origin}${launch.pathname}`).toBe(`${stack.url}/oauth/launch`);

    const browser = new BrowserAgent(stack.url);
    const consent = await browser.navigate(started.authorizationUrl);
    expect(consent.url.startsWith(`${stack.mockUrl}/notion/`)).toBe(true);
    const back = await browser.decide(consent.url, await consent.res.text(), 'allow');
    const returned = new URL(back.url);
    expect(`${returned.origin}${returned.pathname}`).toBe(hostUrl.replace('?keep=1', ''));
    expect(Object.fromEntries(returned.searchParams)).toEqual({
      keep: '1',
      attempt: started.attemptId,
      status: 'completed',
    });

    const done = await plugboard.oauth.complete.mutate({ attemptId: started.attemptId });
    expect(done).toMatchObject({ attemptId: started.attemptId, status: 'completed', error: null });
    const connection = await plugboard.connections.get.query({ connectionId: done.connectionId! });
    expect(connection).toMatchObject({
      externalUserId: 'host-user-1',
      label: 'Acme Workspace (ada@acme.example)',
    });
  });

  it('a denial comes back to the host as failed with PROVIDER_DENIED', async () => {
    const started = await start();
    const browser = new BrowserAgent(stack.url);
    const consent = await browser.navigate(started.authorizationUrl);
    const back = await browser.decide(consent.url, await consent.res.text(), 'deny');
    const returned = new URL(back.url);
    expect(returned.searchParams.get('status')).toBe('failed');
    expect(returned.searchParams.get('error')).toBe('PROVIDER_DENIED');
    const done = await plugboard.oauth.complete.mutate({ attemptId: started.attemptId });
    expect(done).toMatchObject({
      status: 'failed',
      connectionId: null,
      error: { code: 'PROVIDER_DENIED' },
    });
  });

  it('the launch link works once, and only a browser that opened it can finish the flow', async () => {
    const started = await start();
    const victim = new BrowserAgent(stack.url);
    const consent = await victim.navigate(started.authorizationUrl);
    // Opening the same link again (another browser, or a replay) is refused.
    const replay = await new BrowserAgent(stack.url).fetch(started.authorizationUrl);
    expect(replay.headers.get('location')).toBe(`${stack.url}/connect/result?error=LAUNCH_INVALID`);

    // The provider's answer, taken to another browser, is refused and consumes nothing.
    const html = await consent.res.text();
    const action = /action="([^"]*)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const pending = /name="pending" value="([^"]*)"/.exec(html)![1]!;
    const decided = await victim.fetch(new URL(action, consent.url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, decision: 'allow' }).toString(),
    });
    const callbackUrl = decided.headers.get('location')!;
    const tokenCallsBefore = await tokenCalls();
    const refused = await new BrowserAgent(stack.url).fetch(callbackUrl);
    expect(refused.headers.get('location')).toBe(`${stack.url}/connect/result?error=STATE_INVALID`);
    expect(await tokenCalls()).toBe(tokenCallsBefore);
    expect((await plugboard.oauth.complete.mutate({ attemptId: started.attemptId })).status).toBe(
      'pending',
    );

    // The right browser still completes it.
    const ok = await victim.fetch(callbackUrl);
    expect(new URL(ok.headers.get('location')!).searchParams.get('status')).toBe('completed');
    expect((await plugboard.oauth.complete.mutate({ attemptId: started.attemptId })).status).toBe(
      'completed',
    );
  });

  it('validates what the backend sends', async () => {
    for (const redirectUrl of ['javascript:alert(1)', 'ftp://host.example/x', 'not a url']) {
      await expect(
        plugboard.oauth.start.mutate({ providerId: 'notion', externalUserId: 'u', redirectUrl }),
      ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'VALIDATION_FAILED');
    }
    await expect(
      plugboard.oauth.start.mutate({
        providerId: 'telegram',
        externalUserId: 'u',
        redirectUrl: hostUrl,
      }),
    ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'PROVIDER_NOT_AVAILABLE');
    await expect(
      plugboard.oauth.complete.mutate({ attemptId: newId('att_') as `att_${string}` }),
    ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'NOT_FOUND');
  });
});
