import { createPlugboardClient } from '@plugboard/client';
import { BrowserAgent, startTestStack, type TestStack } from '@plugboard/server/testing';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from './browser';
import { startHostApp, type HostApp } from './embed-host';

/**
 * Reconnect links through the SDK (issue 9 §2): the host mints a token with
 * `reconnectConnectionId`, its page opens the popup, which goes straight to that connection's
 * provider; the same account renews the same connection id, another account is refused with
 * RECONNECT_ACCOUNT_MISMATCH in onError and nothing changes. Host on localhost, Plugboard on
 * 127.0.0.1: two origins, two sites.
 */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const USER = 'user-reconnect';
const GRACE = { userId: '5a1b7c3d-0ada-4c0d-9e1a-ace0000000ff', email: 'grace@acme.example' };
const apiKey = `pk_${randomBytes(24).toString('hex')}`;

let browser: Browser;
let stack: TestStack;
let context: BrowserContext;
let page: Page;
let pageErrors: Error[];
let host: HostApp | undefined;

beforeAll(async () => {
  if (!existsSync(`${webDistDir}/index.html`)) throw new Error('run `pnpm turbo run build` first');
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
beforeEach(async () => {
  stack = await startTestStack({ webDistDir, env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
  ({ context, page, pageErrors } = await newPage(browser));
});
afterEach(async () => {
  await context?.close();
  await host?.close();
  await stack?.close();
});

/** The user's Notion connection, made earlier through a plain connect link; now needs_reauth. */
async function existingConnection(): Promise<string> {
  const plugboard = createPlugboardClient({ url: stack.url, apiKey });
  const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({ externalUserId: USER });
  const agent = new BrowserAgent(stack.url);
  await agent.fetch(connectLinkUrl);
  const attempt = await agent.connect(stack.url, 'notion');
  const id = attempt.connection!.id;
  // As a failed refresh leaves it (the entity by name: the web app does not depend on db).
  await stack.orm.em
    .fork()
    .nativeUpdate('Connection' as never, { id } as never, { status: 'needs_reauth' } as never);
  return id;
}

async function openReconnect(id: string): Promise<Page> {
  host = await startHostApp({
    plugboardUrl: stack.url,
    apiKey,
    externalUserId: USER,
    intent: { reconnectConnectionId: id },
  });
  await page.goto(host.origin);
  await page.waitForFunction(() => (window as { sdkReady?: boolean }).sdkReady === true);
  const popupOpened = page.waitForEvent('popup');
  // No providerId from the page: the token pins the flow to the connection's provider.
  await page.getByRole('button', { name: 'Connect an account' }).click();
  const popup = await popupOpened;
  await popup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
  expect(new URL(popup.url()).pathname).toContain('/notion/');
  return popup;
}

const events = () => page.evaluate(() => (window as unknown as { events: unknown[] }).events);
const listed = async () => {
  const plugboard = createPlugboardClient({ url: stack.url, apiKey });
  return (await plugboard.connections.list.query({ externalUserId: USER })).items;
};

describe('@plugboard/connect: reconnect links', () => {
  it('renews the same connection and hands the host its id', async () => {
    const id = await existingConnection();
    const popup = await openReconnect(id);
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.waitForEvent('close');
    await expect.poll(events, { timeout: 5000 }).toEqual([
      {
        type: 'success',
        connectionId: id,
        providerId: 'notion',
        accountLabel: 'Acme Workspace (ada@acme.example)',
      },
    ]);
    expect((await listed()).map((c) => [c.id, c.status])).toEqual([[id, 'active']]);
    expect(pageErrors).toEqual([]);
  });

  it('refuses another account: onError says so and nothing changes', async () => {
    const id = await existingConnection();
    const [before] = await listed();
    await fetch(`${stack.mockUrl}/__control/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', account: GRACE }),
    });
    const popup = await openReconnect(id);
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.waitForEvent('close');
    await expect.poll(events, { timeout: 5000 }).toHaveLength(1);
    const [event] = (await events()) as { type: string; code: string; message: string }[];
    expect(event).toMatchObject({ type: 'error', code: 'RECONNECT_ACCOUNT_MISMATCH' });
    expect(event!.message).toContain('different Notion account');
    expect(event!.message).toContain('Acme Workspace (ada@acme.example)');
    // The same one connection, still needing reauth, not touched since.
    expect(await listed()).toEqual([before]);
    expect(before).toMatchObject({ id, status: 'needs_reauth' });
  });
});
