import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '@plugboard/providers';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { launchBrowser, newPage, signInAsDemoUser } from './browser';
import { expectNoAxeViolations } from './axe';

/**
 * The provider list as people use it: brand marks, finding a provider by typing, the state of
 * one's own connection on each card with Reconnect, and a list that fits a phone.
 */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
// Counts follow the provider folders, so adding a provider needs no edit here.
const providerCount = catalog.length;
const markCount = catalog.filter((p) => p.brand).length;
const telegramNames = catalog.filter((p) => /tele/i.test(p.name)).map((p) => p.name);
/** A phone row: mark, a name of up to two lines, Connect (px), and row plus the gap below it. */
const PHONE_ROW = 64;
const PHONE_ROW_PITCH = PHONE_ROW + 8;
/** Shopify's shop field and its full-width button below its row. */
const SHOP_FORM_EXTRA = 120;
/** The page's bottom padding and footer below the list. */
const PHONE_FOOTER = 120;
const API_KEY = 'pk_providerlistbrowsertest01';
const NOTION_LABEL = 'Acme Workspace (ada@acme.example)';

let browser: Browser;
let stack: TestStack;
let context: BrowserContext;
let page: Page;
let pageErrors: Error[];
let requestedUrls: string[];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  stack = await startTestStack({ webDistDir, env: { PLUGBOARD_BOOTSTRAP_API_KEY: API_KEY } });
  ({ context, page, pageErrors } = await newPage(browser));
  requestedUrls = [];
  page.on('request', (request) => requestedUrls.push(request.url()));
});
afterEach(async () => {
  await context?.close();
  await stack?.close();
});

const isFocused = (locator: ReturnType<Page['locator']>) =>
  locator.evaluate((el) => el === document.activeElement);

/** The card (list item) of one provider in "Add a connection". */
const card = (name: string) =>
  page
    .locator('.provider-grid > li')
    .filter({ has: page.getByRole('heading', { name, exact: true }) });

const shownProviders = () => page.locator('.provider-grid > li h3').allTextContents();

async function control(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${stack.mockUrl}/__control/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
}

/** The server API as the host's backend calls it (tRPC over HTTP with the API key). */
async function serverApi(path: string, input: unknown, method: 'GET' | 'POST' = 'GET') {
  const url =
    method === 'GET'
      ? `${stack.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `${stack.url}/trpc/${path}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
  });
  return (await res.json()) as {
    result?: { data: unknown };
    error?: { data: { code: string } };
  };
}

interface ServerConnection {
  id: string;
  providerId: string;
  label: string;
  status: string;
}

async function demoConnections(): Promise<ServerConnection[]> {
  const body = await serverApi('server.connections.list', { externalUserId: 'demo-user' });
  return (body.result!.data as { items: ServerConnection[] }).items;
}

async function connectNotion(): Promise<void> {
  await page.getByRole('button', { name: 'Connect Notion', exact: true }).click();
  await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('heading', { name: 'Notion connected' }).waitFor();
  await page.getByRole('link', { name: 'Back to your connections' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** The refresh token is refused at Notion (invalid_grant): the connection needs reconnecting. */
async function makeNotionNeedReauth(connectionId: string): Promise<void> {
  await control('faults', { provider: 'notion', endpoint: 'token', kind: 'invalid_grant' });
  const body = await serverApi(
    'server.connections.credentials',
    { connectionId, forceRefresh: true },
    'POST',
  );
  expect(body.error?.data.code).toBe('CONNECTION_NEEDS_REAUTH');
}

describe('Connect UI: the provider list', () => {
  it('shows brand marks drawn from local data, with a letter tile where there is none', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAsDemoUser(page, stack.url);

    const notionMark = card('Notion').locator('.provider-mark');
    expect(await notionMark.getAttribute('data-mark')).toBe('brand');
    const d = await notionMark.locator('svg path').getAttribute('d');
    expect(d).toMatch(/^M[\d.\s]/);
    expect(await card('GitHub').locator('.provider-mark svg path').count()).toBe(1);
    // simple-icons no longer carries Slack or Salesforce: their initial on the brand colour.
    for (const name of ['Slack', 'Salesforce']) {
      const mark = card(name).locator('.provider-mark');
      expect(await mark.getAttribute('data-mark')).toBe('letter');
      expect((await mark.textContent())?.trim()).toBe(name[0]);
    }
    // Every declared mark, and not one request left this server (the mock is not involved yet).
    expect(await page.locator('.provider-grid [data-mark="brand"]').count()).toBe(markCount);
    for (const url of requestedUrls) expect(new URL(url).origin).toBe(new URL(stack.url).origin);
    await page.screenshot({ path: '/tmp/plugboard-e2e-marks.png', fullPage: true });
    await expectNoAxeViolations(page, 'the list with brand marks');
    expect(pageErrors).toEqual([]);
  });

  it('finds a provider as the user types, announces the count, and clears with Escape', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAsDemoUser(page, stack.url);
    const search = page.getByRole('searchbox', { name: 'Find a provider' });
    const count = page.locator('.provider-search-count');
    expect(await count.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => count.textContent()).toBe(`${providerCount} providers`);

    await search.focus();
    expect(await isFocused(search)).toBe(true);
    await search.pressSequentially('s');
    // Names holding "s" lead, in the list's order; then the ones whose description does.
    const namesWithS = catalog.filter((p) => /s/i.test(p.name)).map((p) => p.name);
    expect(namesWithS).toEqual(expect.arrayContaining(['Stripe', 'Shopify', 'Slack', 'HubSpot']));
    await expect
      .poll(async () => (await shownProviders()).slice(0, namesWithS.length))
      .toEqual(namesWithS);
    await search.pressSequentially('l');
    // "sl": Slack by name; nothing else holds "sl".
    await expect.poll(shownProviders).toEqual(['Slack']);
    await expect.poll(() => count.textContent()).toBe('1 provider');
    expect(await isFocused(search)).toBe(true);

    // Tab goes on to the one result's button, and back.
    await page.keyboard.press('Tab');
    expect(await isFocused(page.getByRole('button', { name: 'Connect Slack' }))).toBe(true);
    await page.keyboard.press('Shift+Tab');
    expect(await isFocused(search)).toBe(true);

    await page.keyboard.press('Escape');
    expect(await search.inputValue()).toBe('');
    expect(await isFocused(search)).toBe(true);
    await expect.poll(() => count.textContent()).toBe(`${providerCount} providers`);
    expect(await shownProviders()).toHaveLength(providerCount);

    // Every word must match, in the name or the description.
    await search.pressSequentially('google drive');
    await expect.poll(shownProviders).toEqual(['Google Drive']);
    await page.keyboard.press('Escape');
    await search.pressSequentially('payouts');
    await expect.poll(shownProviders).toEqual(['Stripe']);
    await page.keyboard.press('Escape');

    await search.pressSequentially('xyzzy');
    await page.getByText('No provider matches “xyzzy”').waitFor();
    await expect.poll(() => count.textContent()).toBe('0 providers');
    expect(await page.locator('.provider-grid').count()).toBe(0);
    await page.screenshot({ path: '/tmp/plugboard-e2e-search-empty.png' });
    await expectNoAxeViolations(page, 'the search with no match');
    await page.getByRole('button', { name: 'show all providers' }).click();
    expect(await isFocused(search)).toBe(true);
    expect(await search.inputValue()).toBe('');
    expect(await shownProviders()).toHaveLength(providerCount);
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone: compact rows, a page that grows by one short row per provider', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAsDemoUser(page, stack.url);
    await page.screenshot({ path: '/tmp/plugboard-e2e-mobile-list.png', fullPage: true });
    await expectNoAxeViolations(page, 'the list on a phone');
    // The page is what sits above the list, one row per provider (Shopify's shop field adds
    // its form), and the footer: it grows with the catalog by a row, never by a card.
    const { height, listTop } = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      listTop: document.querySelector('.provider-grid')!.getBoundingClientRect().top + scrollY,
    }));
    expect(height).toBeLessThanOrEqual(
      listTop + providerCount * PHONE_ROW_PITCH + SHOP_FORM_EXTRA + PHONE_FOOTER,
    );
    // No sideways scroll either.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    const boxes = await page
      .locator('.provider-grid > li')
      .evaluateAll((items) =>
        items.map((li) => ({ name: li.querySelector('h3')?.textContent, h: li.clientHeight })),
      );
    expect(boxes).toHaveLength(providerCount);
    for (const { name, h } of boxes) {
      // Shopify asks for the shop in its card; every other card is one compact row.
      const bound = name === 'Shopify' ? PHONE_ROW + SHOP_FORM_EXTRA : PHONE_ROW;
      expect(h, `${name} card height`).toBeLessThanOrEqual(bound);
    }
    // The buttons still say which provider they connect, to assistive technology too.
    await page.getByRole('button', { name: 'Connect Notion', exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/plugboard-e2e-mobile-list.png', fullPage: true });
    await expectNoAxeViolations(page, 'the list on a phone');

    // Typing narrows the list on the phone just the same.
    await page.getByRole('searchbox', { name: 'Find a provider' }).pressSequentially('tele');
    await expect.poll(shownProviders).toEqual(telegramNames);
    await page.screenshot({ path: '/tmp/plugboard-e2e-mobile-search.png' });
    await expectNoAxeViolations(page, 'the search on a phone');
    expect(pageErrors).toEqual([]);
  });
});

describe('Connect UI: connection state on the cards', () => {
  it('says "Connected as …", and Reconnect renews the same connection', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAsDemoUser(page, stack.url);
    await connectNotion();
    const notion = card('Notion');
    await notion.getByText(`Connected as ${NOTION_LABEL}`).waitFor();
    expect(await card('Stripe').getByText('Connected as').count()).toBe(0);

    const [connection] = await demoConnections();
    expect(connection).toMatchObject({ providerId: 'notion', status: 'active' });
    await makeNotionNeedReauth(connection!.id);

    await page.reload();
    await notion.getByText('Needs reconnecting').waitFor();
    expect(await notion.getByText('Connected as').count()).toBe(0);
    await page.screenshot({ path: '/tmp/plugboard-e2e-needs-reauth.png', fullPage: true });
    await expectNoAxeViolations(page, 'a card that needs reconnecting');
    const reconnect = notion.getByRole('button', { name: 'Reconnect' });
    // The button is described by what it reconnects.
    const describedBy = (await reconnect.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain(NOTION_LABEL);
    await reconnect.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Notion connected' }).waitFor();
    await page.getByRole('link', { name: 'Back to your connections' }).click();

    await notion.getByText(`Connected as ${NOTION_LABEL}`).waitFor();
    expect(await notion.getByText('Needs reconnecting').count()).toBe(0);
    // Still one connection, the same one, active again.
    expect(await demoConnections()).toEqual([
      expect.objectContaining({ id: connection!.id, status: 'active' }),
    ]);
    expect(await page.locator('.connection-list > li').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('refuses a different account during a reconnect and changes nothing', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAsDemoUser(page, stack.url);
    await connectNotion();
    const [connection] = await demoConnections();
    await makeNotionNeedReauth(connection!.id);

    // At Notion the user signs in as someone else this time.
    await control('accounts', {
      provider: 'notion',
      account: {
        userId: '5a1b7c3d-0ada-4c0d-9e1a-ace0000000ff',
        name: 'Grace Hopper',
        email: 'grace@acme.example',
      },
    });
    await page.reload();
    await card('Notion').getByRole('button', { name: 'Reconnect' }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL((url) => url.pathname === '/connect/result');
    const alert = page.getByRole('alert');
    await alert.getByText('different Notion account', { exact: false }).waitFor();
    expect(await alert.textContent()).toContain(NOTION_LABEL);
    expect(await alert.textContent()).toContain('Nothing was changed');
    await page.screenshot({ path: '/tmp/plugboard-e2e-reconnect-mismatch.png', fullPage: true });
    await expectNoAxeViolations(page, 'the refused reconnect');

    // Nothing changed: one connection, still waiting to be reconnected, no Grace.
    expect(await demoConnections()).toEqual([
      expect.objectContaining({ id: connection!.id, status: 'needs_reauth' }),
    ]);
    await page.getByRole('link', { name: 'Back to your connections' }).click();
    await card('Notion').getByText('Needs reconnecting').waitFor();
    expect(await page.getByText('grace@acme.example').count()).toBe(0);

    // Back on the result page, "Try again" is the same Reconnect: now as the right account.
    await page.goBack();
    await page.getByRole('heading', { name: "Couldn't connect Notion" }).waitFor();
    await control('accounts', {
      provider: 'notion',
      account: {
        userId: '5a1b7c3d-0ada-4c0d-9e1a-ace000000001',
        name: 'Ada Lovelace',
        email: 'ada@acme.example',
      },
    });
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Notion connected' }).waitFor();
    expect(await demoConnections()).toEqual([
      expect.objectContaining({ id: connection!.id, status: 'active' }),
    ]);
    expect(pageErrors).toEqual([]);
  });
});
