import { createPlugboardClient } from '@plugboard/client';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, newPage, PHONE } from './browser';
import { startHostApp, type HostApp } from './embed-host';

/**
 * `@plugboard/connect` where a 520×720 popup does not fit or is not allowed: on a phone
 * (390×844) the popup opens as a full tab, and with Chromium's real popup blocker a host that
 * asked for `popupBlocked: 'modal'` gets the modal, in which the flow completes. Host on
 * localhost, Plugboard on 127.0.0.1.
 */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const USER = 'user-phone';
const apiKey = `pk_${randomBytes(24).toString('hex')}`;

let browser: Browser;
let stack: TestStack;
const contexts: BrowserContext[] = [];
const hosts: HostApp[] = [];

beforeAll(async () => {
  if (!existsSync(`${webDistDir}/index.html`)) throw new Error('run `pnpm turbo run build` first');
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
beforeEach(async () => {
  stack = await startTestStack({ webDistDir, env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  for (const h of hosts.splice(0)) await h.close();
  await stack?.close();
});

async function openHost(page: Page, options: object = {}, query = '') {
  const host = await startHostApp({ plugboardUrl: stack.url, apiKey, externalUserId: USER });
  hosts.push(host);
  // Before the page's script runs, so ?autoopen uses them.
  await page.addInitScript((o) => {
    (window as unknown as { connectOptions: object }).connectOptions = o;
  }, options);
  await page.goto(`${host.origin}/${query}`);
  await page.waitForFunction(() => (window as { sdkReady?: boolean }).sdkReady === true);
  return host;
}

const events = (page: Page) =>
  page.evaluate(() => (window as unknown as { events: unknown[] }).events);

async function listedIds(): Promise<string[]> {
  const plugboard = createPlugboardClient({ url: stack.url, apiKey });
  const { items } = await plugboard.connections.list.query({ externalUserId: USER });
  return items.map((c) => c.id);
}

describe('@plugboard/connect on a phone', () => {
  it('opens the Connect UI as a full tab, not a 520 px window, and returns to the host', async () => {
    const { context, page, pageErrors } = await newPage(browser, PHONE);
    contexts.push(context);
    await openHost(page);
    const opened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Connect an account' }).tap();
    const tab = await opened;
    const connect = tab.getByRole('button', { name: 'Connect Notion', exact: true });
    await connect.waitFor();
    // A tab (toolbar shown) the size of the phone, not a popup window wider than the screen.
    expect(await tab.evaluate(() => window.toolbar.visible)).toBe(true);
    expect(tab.viewportSize()).toEqual(PHONE);
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
    await tab.screenshot({ path: '/tmp/plugboard-e2e-embed-phone-tab.png' });

    await connect.tap();
    await tab.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await tab.getByRole('button', { name: 'Allow' }).tap();
    await tab.waitForEvent('close');
    await expect
      .poll(() => events(page), { timeout: 5000 })
      .toEqual([
        {
          type: 'success',
          connectionId: (await listedIds())[0],
          providerId: 'notion',
          accountLabel: 'Acme Workspace (ada@acme.example)',
        },
      ]);
    expect(pageErrors).toEqual([]);
  });

  it('the modal fills the phone screen and its close button covers none of the Connect UI', async () => {
    const { context, page } = await newPage(browser, PHONE);
    contexts.push(context);
    await openHost(page, { mode: 'modal' });
    await page.getByRole('button', { name: 'Connect an account' }).tap();
    const frame = page.frameLocator('iframe[title="Connect an account"]');
    await frame.getByRole('button', { name: 'Connect Notion', exact: true }).waitFor();
    const box = await page.locator('iframe[title="Connect an account"]').boundingBox();
    const close = await page.getByRole('button', { name: 'Close' }).boundingBox();
    expect(box).toMatchObject({ x: 0, width: PHONE.width });
    // The close button sits in a bar above the frame, not on top of it.
    expect(close!.y + close!.height).toBeLessThanOrEqual(box!.y);
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    await page.screenshot({ path: '/tmp/plugboard-e2e-embed-phone-modal.png' });
  });
});

describe("@plugboard/connect: popupBlocked: 'modal'", () => {
  it("the browser's popup blocker refuses the window, the modal opens and the flow completes there", async () => {
    // Playwright turns Chromium's popup blocker off; this browser keeps it, as people have it.
    const strict = await launchBrowser({ popupBlocking: true });
    try {
      const context = await strict.newContext({ viewport: DESKTOP });
      const page = await context.newPage();
      const pageErrors: Error[] = [];
      page.on('pageerror', (e) => pageErrors.push(e));
      // Opened on load, with no click: the blocker refuses window.open.
      await openHost(page, { providerId: 'notion', popupBlocked: 'modal' }, '?autoopen');
      const overlay = page.getByRole('dialog', { name: 'Connect an account' });
      await overlay.waitFor();
      expect(context.pages()).toHaveLength(1);
      const connect = page
        .frameLocator('iframe[title="Connect an account"]')
        .getByRole('button', { name: 'Connect Notion', exact: true });
      await connect.waitFor();

      // The user's click in the modal opens the provider's sign-in: allowed, it is a click.
      const popupOpened = context.waitForEvent('page');
      await connect.click();
      const popup = await popupOpened;
      await popup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
      await popup.getByRole('button', { name: 'Allow' }).click();
      await popup.waitForEvent('close');
      await expect.poll(() => events(page), { timeout: 10_000 }).toHaveLength(1);
      const [event] = (await events(page)) as { type: string; connectionId: string }[];
      expect(event).toMatchObject({ type: 'success', providerId: 'notion' });
      expect(await listedIds()).toEqual([event!.connectionId]);
      expect(await overlay.count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
