import { createPlugboardClient } from '@plugboard/client';
import { freePort, startTestStack, type TestStack } from '@plugboard/server/testing';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from './browser';
import { startHostApp, type HostApp } from './embed-host';

/**
 * Issue 9's bad input around the SDK in a real browser: a well-formed message from a foreign
 * origin is ignored (the SDK hears only Plugboard's origin and the window it opened), and a popup
 * closed mid-flow reports onClose while its attempt expires cleanly — coming back to the
 * provider's page after that connects nothing.
 */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const USER = 'user-bad-input';
const apiKey = `pk_${randomBytes(24).toString('hex')}`;

let browser: Browser;
let stack: TestStack;
let context: BrowserContext;
let page: Page;
let host: HostApp | undefined;
let evil: Server | undefined;
/** The server's clock runs this many ms ahead of the wall clock (an attempt's expiry). */
let shiftMs = 0;

beforeAll(async () => {
  if (!existsSync(`${webDistDir}/index.html`)) throw new Error('run `pnpm turbo run build` first');
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
beforeEach(async () => {
  shiftMs = 0;
  stack = await startTestStack({
    webDistDir,
    env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
    clock: { now: () => new Date(Date.now() + shiftMs) },
  });
  ({ context, page } = await newPage(browser));
  host = await startHostApp({ plugboardUrl: stack.url, apiKey, externalUserId: USER });
  await page.goto(host.origin);
  await page.waitForFunction(() => (window as { sdkReady?: boolean }).sdkReady === true);
  await page.evaluate(() => {
    (window as unknown as { connectOptions: object }).connectOptions = { providerId: 'notion' };
  });
});
afterEach(async () => {
  await context?.close();
  await host?.close();
  await new Promise<void>((resolve) => (evil ? evil.close(() => resolve()) : resolve()));
  evil = undefined;
  await stack?.close();
});

const events = () => page.evaluate(() => (window as unknown as { events: unknown[] }).events);
async function listedIds(): Promise<string[]> {
  const plugboard = createPlugboardClient({ url: stack.url, apiKey });
  const { items } = await plugboard.connections.list.query({ externalUserId: USER });
  return items.map((c) => c.id);
}

async function clickConnect(): Promise<Page> {
  const opened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect an account' }).click();
  const popup = await opened;
  await popup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
  return popup;
}

describe('@plugboard/connect refuses what it must', () => {
  it('ignores a well-formed success message from a foreign origin', async () => {
    // Another site framed in the host page, posting exactly what the Connect UI would.
    const port = await freePort();
    evil = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script>
        const forged = { source: 'plugboard-connect', v: 1, type: 'success',
          connectionId: 'conn_forged0000000000000000', providerId: 'notion', accountLabel: 'Forged' };
        parent.postMessage(forged, '*');
        parent.postMessage({ source: 'plugboard-connect', v: 1, type: 'close' }, '*');
        document.title = 'posted';
      </script>`),
    );
    await new Promise<void>((resolve) => evil!.listen(port, '127.0.0.1', resolve));
    const popup = await clickConnect();
    await page.evaluate((url) => {
      const frame = document.createElement('iframe');
      frame.src = url;
      frame.name = 'evil';
      document.body.append(frame);
    }, `http://127.0.0.1:${port}/`);
    await expect.poll(() => page.frame({ name: 'evil' })?.title() ?? '').toBe('posted');
    // The page got the messages; the SDK acted on none of them.
    const received = await page.evaluate(
      () => (window as unknown as { messages: { origin: string }[] }).messages,
    );
    expect(received.map((m) => m.origin)).toEqual([
      `http://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}`,
    ]);
    expect(await events()).toEqual([]);
    expect(popup.isClosed()).toBe(false);

    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.waitForEvent('close');
    await expect.poll(events, { timeout: 5000 }).toEqual([
      {
        type: 'success',
        connectionId: (await listedIds())[0],
        providerId: 'notion',
        accountLabel: 'Acme Workspace (ada@acme.example)',
      },
    ]);
  });

  it('a popup closed mid-flow reports onClose, and its attempt expires cleanly', async () => {
    const popup = await clickConnect();
    const consentUrl = popup.url();
    await popup.close();
    await expect.poll(events, { timeout: 5000 }).toEqual([{ type: 'close' }]);
    expect(await listedIds()).toEqual([]);

    // The user comes back to the provider's page after the attempt's 10 minutes: Allow there
    // lands on Plugboard's "took too long" result and connects nothing.
    shiftMs = 11 * 60 * 1000;
    const late = await context.newPage();
    await late.goto(consentUrl);
    await late.getByRole('button', { name: 'Allow' }).click();
    await late
      .getByText('The sign-in took too long and expired. Start connecting again.')
      .waitFor();
    expect(await listedIds()).toEqual([]);
    expect(await events()).toEqual([{ type: 'close' }]);
  });
});
