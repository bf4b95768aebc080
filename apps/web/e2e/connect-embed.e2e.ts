import { createPlugboardClient } from '@plugboard/client';
import { randomBytes } from 'node:crypto';
import { freePort, startTestStack, type TestStack } from '@plugboard/server/testing';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from './browser';
import { startHostApp, type HostApp, type TokenIntent } from './embed-host';

/**
 * `@plugboard/connect` in a real browser (issue 9): a host page on http://localhost:<port>
 * embeds Plugboard on http://127.0.0.1:<port> — another origin and another site — through the
 * SDK served at /sdk/connect.js.
 */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const sdkFile = fileURLToPath(
  new URL('../../../packages/connect/dist/connect.js', import.meta.url),
);
const USER = 'user-embed';

let browser: Browser;
let stack: TestStack;
let context: BrowserContext;
let page: Page;
let pageErrors: Error[];
const apiKey = `pk_${randomBytes(24).toString('hex')}`;
const hosts: HostApp[] = [];

beforeAll(async () => {
  for (const file of [`${webDistDir}/index.html`, sdkFile]) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run \`pnpm turbo run build\` first.`);
  }
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

beforeEach(async () => {
  stack = await startTestStack({ webDistDir, env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
  ({ context, page, pageErrors } = await newPage(browser));
});
afterEach(async () => {
  await context?.close();
  for (const host of hosts.splice(0)) await host.close();
  await stack?.close();
});

async function openHost(opts: { intent?: TokenIntent; mintFor?: string[] } = {}) {
  const host = await startHostApp({
    plugboardUrl: stack.url,
    apiKey,
    externalUserId: USER,
    ...opts,
  });
  hosts.push(host);
  await page.goto(host.origin);
  await page.waitForFunction(() => (window as { sdkReady?: boolean }).sdkReady === true);
  return host;
}

type HostEvent = {
  type: string;
  connectionId?: string;
  providerId?: string;
  accountLabel?: string;
  code?: string;
};
const events = (p: Page = page) =>
  p.evaluate(() => (window as unknown as { events: HostEvent[] }).events);
const messages = (p: Page = page) =>
  p.evaluate(() => (window as unknown as { messages: unknown[] }).messages);
const setOptions = (options: object) =>
  page.evaluate(
    (o) => ((window as unknown as { connectOptions: object }).connectOptions = o),
    options,
  );

async function listedConnectionIds(): Promise<string[]> {
  const plugboard = createPlugboardClient({ url: stack.url, apiKey });
  const { items } = await plugboard.connections.list.query({ externalUserId: USER });
  return items.map((c) => c.id);
}

/** Clicks the host's button and returns the popup it opened. */
async function clickConnectForPopup(): Promise<Page> {
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect an account' }).click();
  return popupOpened;
}

describe('@plugboard/connect: popup', () => {
  it('connects Notion in a popup and hands the host the connection the API lists', async () => {
    await openHost();
    await setOptions({ providerId: 'notion' });
    const popup = await clickConnectForPopup();
    // One provider asked for: the popup goes straight to Notion's consent page.
    await popup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.waitForEvent('close');

    await expect.poll(events, { timeout: 5000 }).toHaveLength(1);
    const [event] = await events();
    const ids = await listedConnectionIds();
    expect(ids).toHaveLength(1);
    expect(event).toEqual({
      type: 'success',
      connectionId: ids[0],
      providerId: 'notion',
      accountLabel: 'Acme Workspace (ada@acme.example)',
    });
    // Exactly one message reached the host, from Plugboard, with nothing secret in it.
    const received = (await messages()) as { origin: string; data: Record<string, unknown> }[];
    expect(received.map((m) => m.origin)).toEqual([new URL(stack.url).origin]);
    expect(Object.keys(received[0]!.data).sort()).toEqual(
      ['accountLabel', 'connectionId', 'providerId', 'source', 'type', 'v'].sort(),
    );
    expect(pageErrors).toEqual([]);
  });

  it('reports onClose when the user closes the popup before finishing', async () => {
    await openHost();
    const popup = await clickConnectForPopup();
    await popup.getByRole('button', { name: 'Connect Notion', exact: true }).waitFor();
    await popup.close();
    await expect.poll(events, { timeout: 5000 }).toEqual([{ type: 'close' }]);
    expect(await listedConnectionIds()).toEqual([]);
  });

  it('reports POPUP_BLOCKED when the browser blocks the popup', async () => {
    // Playwright turns Chromium's popup blocker off; this browser keeps it, as people have it.
    const strict = await launchBrowser({ popupBlocking: true });
    try {
      const ctx = await strict.newContext();
      const blockedPage = await ctx.newPage();
      const host = await startHostApp({ plugboardUrl: stack.url, apiKey, externalUserId: USER });
      hosts.push(host);
      // Opened on load, not from a click: the browser's popup blocker refuses window.open.
      await blockedPage.goto(`${host.origin}/?autoopen`);
      await blockedPage.waitForFunction(() => (window as { sdkReady?: boolean }).sdkReady === true);
      await expect
        .poll(() => events(blockedPage))
        .toEqual([
          {
            type: 'error',
            code: 'POPUP_BLOCKED',
            message: 'The browser blocked the connect window (pop-ups disabled).',
          },
        ]);
      expect(ctx.pages()).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('a page on an origin the token does not allow gets no message and cannot frame it', async () => {
    const allowed = 'https://app.example';
    await openHost({ mintFor: [allowed] });
    const popup = await clickConnectForPopup();
    // The server refused the link for this page, and the popup says so.
    await popup.getByText('This connect link was not made for the page that opened it').waitFor();
    await popup.close();
    await expect.poll(events, { timeout: 5000 }).toEqual([{ type: 'close' }]);

    // A page that claims to be the allowed origin still gets nothing: the Connect UI posts to
    // the allowed origin only, and the browser delivers to no other.
    const mint = async () => {
      const plugboard = createPlugboardClient({ url: stack.url, apiKey });
      const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
        externalUserId: USER,
        allowedOrigins: [allowed],
      });
      return connectLinkUrl;
    };
    const forged = `${await mint()}&embed=popup&origin=${encodeURIComponent(allowed)}&provider=notion`;
    const popupOpened = page.waitForEvent('popup');
    await page.evaluate((url) => void window.open(url, 'forged', 'popup'), forged);
    const forgedPopup = await popupOpened;
    await forgedPopup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await forgedPopup.getByRole('button', { name: 'Allow' }).click();
    await forgedPopup.getByRole('heading', { name: 'Notion connected' }).waitFor();
    expect(await messages()).toEqual([]);

    // Framing: the Connect UI of a session for another origin refuses to render in this page.
    const framed = `${await mint()}&embed=modal&origin=${encodeURIComponent(allowed)}`;
    await page.evaluate((url) => {
      const frame = document.createElement('iframe');
      frame.src = url;
      frame.name = 'attempt';
      document.body.append(frame);
    }, framed);
    await expect.poll(() => page.frame({ name: 'attempt' })?.url() ?? '').toMatch(/^chrome-error:/);
    expect(await messages()).toEqual([]);
  });
});

describe('@plugboard/connect: providers with inputs and without OAuth', () => {
  it('Shopify with inputs.shop goes straight to that shop, skipping the field', async () => {
    await openHost();
    await setOptions({ providerId: 'shopify', inputs: { shop: 'acme-store' } });
    const popup = await clickConnectForPopup();
    await popup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    expect(new URL(popup.url()).pathname).toContain('/shopify/store/acme-store.myshopify.com/');
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.waitForEvent('close');
    await expect.poll(events, { timeout: 5000 }).toHaveLength(1);
    const [event] = await events();
    expect(event).toMatchObject({ type: 'success', providerId: 'shopify' });
    expect(event!.accountLabel).toContain('acme-store.myshopify.com');
    expect(await listedConnectionIds()).toEqual([event!.connectionId]);
  });

  it('Telegram phone login runs inside the popup, as on the full page', async () => {
    await openHost();
    await setOptions({ providerId: 'telegram' });
    const popup = await clickConnectForPopup();
    const dialog = popup.getByRole('dialog', { name: 'Connect Telegram' });
    await dialog.waitFor();
    const phone = popup.getByLabel('Phone number');
    await expect.poll(() => phone.evaluate((el) => el === document.activeElement)).toBe(true);
    await phone.pressSequentially('+15550000001');
    await popup.keyboard.press('Enter');
    await popup.getByText('We sent a code to your Telegram app').waitFor();
    let code: string | undefined;
    await expect
      .poll(async () => {
        const res = await fetch(
          `${stack.mockUrl}/__control/telegram/inbox?phone=${encodeURIComponent('+15550000001')}`,
        );
        const { messages: inbox } = (await res.json()) as {
          messages: { code: string; used: boolean }[];
        };
        code = inbox.filter((m) => !m.used).at(-1)?.code;
        return code;
      })
      .toBeTruthy();
    await popup.keyboard.type(code!);
    await popup.keyboard.press('Enter');
    await popup.waitForEvent('close');
    await expect.poll(events, { timeout: 5000 }).toHaveLength(1);
    const [event] = await events();
    expect(event).toMatchObject({ type: 'success', providerId: 'telegram' });
    expect(await listedConnectionIds()).toEqual([event!.connectionId]);
  });
});

describe('@plugboard/connect: modal and redirect', () => {
  it('modal: an iframe overlay on the host page, the provider step in its own popup', async () => {
    await openHost();
    await setOptions({ mode: 'modal', providerId: 'notion' });
    await page.getByRole('button', { name: 'Connect an account' }).click();
    const overlay = page.getByRole('dialog', { name: 'Connect an account' });
    await overlay.waitFor();
    const frame = page.frameLocator('iframe[title="Connect an account"]');
    const connect = frame.getByRole('button', { name: 'Connect Notion', exact: true });
    await connect.waitFor();
    // The one provider asked for, and no other.
    expect(await frame.getByRole('button', { name: /^Connect / }).count()).toBe(1);
    await page.screenshot({ path: '/tmp/plugboard-e2e-embed-modal.png' });

    const popupOpened = context.waitForEvent('page');
    await connect.click();
    const popup = await popupOpened;
    await popup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.waitForEvent('close');

    // The frame polls the attempt every 2 s (apps/web/src/pages/result-page.tsx).
    await expect.poll(events, { timeout: 10_000 }).toHaveLength(1);
    const [event] = await events();
    expect(event).toMatchObject({ type: 'success', providerId: 'notion' });
    expect(await listedConnectionIds()).toEqual([event!.connectionId]);
    expect(await overlay.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('modal: Escape closes it and reports onClose, focus back on the button', async () => {
    await openHost();
    await setOptions({ mode: 'modal' });
    const button = page.getByRole('button', { name: 'Connect an account' });
    await button.click();
    await page
      .frameLocator('iframe[title="Connect an account"]')
      .getByRole('button', { name: 'Connect Notion', exact: true })
      .waitFor();
    await page.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(events, { timeout: 5000 }).toEqual([{ type: 'close' }]);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('redirect: the page goes to Plugboard and comes back to successRedirectUrl', async () => {
    const port = await freePort();
    const redirectHost = await startHostApp({
      plugboardUrl: stack.url,
      apiKey,
      externalUserId: USER,
      intent: { successRedirectUrl: `http://localhost:${port}/integrations/done` },
      port,
    });
    hosts.push(redirectHost);
    await page.goto(redirectHost.origin);
    await page.waitForFunction(() => (window as { sdkReady?: boolean }).sdkReady === true);
    await setOptions({ mode: 'redirect', providerId: 'notion' });
    await page.getByRole('button', { name: 'Connect an account' }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname === '/integrations/done');
    const back = new URL(page.url());
    expect(back.origin).toBe(redirectHost.origin);
    expect([...back.searchParams.keys()]).toEqual(['connectionId']);
    expect(await listedConnectionIds()).toEqual([back.searchParams.get('connectionId')]);
  });
});

describe('one-provider connect link', () => {
  it('opens straight into that provider, offers no other, and greets the user by label', async () => {
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const host = 'https://app.example';
    const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
      externalUserId: USER,
      providerId: 'notion',
      endUserLabel: 'Ada Lovelace',
      allowedOrigins: [host],
      successRedirectUrl: `${host}/integrations/done`,
    });
    await page.goto(connectLinkUrl);
    await page.getByRole('button', { name: 'Connect Notion', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: /^Connect / }).count()).toBe(1);
    expect(await page.getByRole('searchbox').count()).toBe(0);
    await page.getByText('Ada Lovelace').waitFor();
    expect(await page.getByText(USER).count()).toBe(0);
    await page.screenshot({ path: '/tmp/plugboard-e2e-one-provider.png' });

    await page.getByRole('button', { name: 'Connect Notion', exact: true }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Notion connected' }).waitFor();
    const [id] = await listedConnectionIds();
    const back = page.getByRole('link', { name: 'Return to app.example' });
    expect(await back.getAttribute('href')).toBe(`${host}/integrations/done?connectionId=${id}`);
    await page.screenshot({ path: '/tmp/plugboard-e2e-return-to-host.png' });
  });

  it('after a Deny offers the way back to errorRedirectUrl with the error code', async () => {
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const host = 'https://app.example';
    const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
      externalUserId: USER,
      providerId: 'notion',
      allowedOrigins: [host],
      errorRedirectUrl: `${host}/integrations/failed`,
    });
    await page.goto(connectLinkUrl);
    await page.getByRole('button', { name: 'Connect Notion', exact: true }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Deny' }).click();
    const back = page.getByRole('link', { name: 'Return to app.example' });
    await back.waitFor();
    expect(await back.getAttribute('href')).toBe(
      `${host}/integrations/failed?error=PROVIDER_DENIED`,
    );
    expect(await listedConnectionIds()).toEqual([]);
  });
});
