import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findCatalogEntry } from '@plugboard/providers';
import { mockConnections } from '@plugboard/providers/testing';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { expectNoAxeViolations } from './axe';
import {
  historyUrls,
  isFocused,
  launchBrowser,
  newPage,
  signInAsDemoUser as signInDemo,
} from './browser';

const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const NOTION_ACCOUNT = 'Notion — Acme Workspace (ada@acme.example)';

let browser: Browser;
let stack: TestStack;
let context: BrowserContext;
let page: Page;
let pageErrors: Error[];

beforeAll(async () => {
  if (!existsSync(`${webDistDir}/index.html`)) {
    throw new Error('apps/web/dist is missing: run `pnpm --filter @plugboard/web build` first.');
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

// A stack per test: its own database and mock, so the demo user starts with no connections and
// the mock's request log holds only this test's calls.
beforeEach(async () => {
  stack = await startTestStack({ webDistDir });
  ({ context, page, pageErrors } = await newPage(browser));
});

afterEach(async () => {
  await context?.close();
  await stack?.close();
});

const signInAsDemoUser = () => signInDemo(page, stack.url);

/** Clicks "Connect Notion" and waits for the mock's consent page. */
async function openNotionConsent() {
  await page.getByRole('button', { name: 'Connect Notion', exact: true }).click();
  await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
}

async function revokeRequests(): Promise<unknown[]> {
  const res = await fetch(`${stack.mockUrl}/__control/requests?provider=notion&endpoint=revoke`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { requests: unknown[] };
  return body.requests;
}

describe('Connect UI: OAuth with Notion', () => {
  it('connects, shows and disconnects a Notion workspace', async () => {
    await page.goto(stack.url);
    await page.getByRole('button', { name: 'Continue as demo user' }).waitFor();
    await expectNoAxeViolations(page, 'the landing page');
    await signInAsDemoUser();
    await openNotionConsent();
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL((url) => url.pathname === '/connect/result');
    const heading = page.getByRole('heading', { name: 'Notion connected' });
    await heading.waitFor();
    await expect.poll(() => isFocused(heading)).toBe(true);
    await page.getByText(NOTION_ACCOUNT).waitFor();
    await expectNoAxeViolations(page, 'the success result page');
    await page.screenshot({ path: '/tmp/plugboard-e2e-result.png', fullPage: true });

    // The authorization code and state were only in the callback URL, which the server answered
    // with a redirect: neither the address bar nor any history entry may still hold them.
    const resultUrl = new URL(page.url());
    expect(resultUrl.searchParams.get('attempt')).toMatch(/^att_/);
    expect(resultUrl.searchParams.has('code')).toBe(false);
    expect(resultUrl.searchParams.has('state')).toBe(false);
    const history = await historyUrls(context, page);
    expect(history.some((u) => u.startsWith(stack.mockUrl))).toBe(true);
    for (const entry of history) expect(new URL(entry).searchParams.has('code')).toBe(false);
    await page.goBack();
    expect(new URL(page.url()).searchParams.has('code')).toBe(false);
    await page.goForward();
    await page.getByRole('heading', { name: 'Notion connected' }).waitFor();

    await page.getByRole('link', { name: 'Back to your connections' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    const row = page.getByRole('listitem').filter({ hasText: NOTION_ACCOUNT });
    await row.waitFor();
    await expectNoAxeViolations(page, 'the connections list with a connection');
    await expect(row.locator('time').getAttribute('datetime')).resolves.toMatch(/^\d{4}-/);
    await page.screenshot({ path: '/tmp/plugboard-e2e-connections.png', fullPage: true });

    // Escape cancels and hands focus back to the button that opened the dialog.
    const openButton = row.getByRole('button', { name: 'Disconnect' });
    await openButton.click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect Notion?' });
    await dialog.waitFor();
    await expectNoAxeViolations(page, 'the disconnect dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await openButton.evaluate((button) => button === document.activeElement)).toBe(true);

    await openButton.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('status').getByText(`Disconnected ${NOTION_ACCOUNT}`).waitFor();
    await page.getByText('No connections yet').waitFor();
    expect(await row.count()).toBe(0);
    expect(await revokeRequests()).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it("shows the user's own Deny as a neutral outcome, not an error, and connects nothing", async () => {
    await signInAsDemoUser();
    await openNotionConsent();
    await page.getByRole('button', { name: 'Deny' }).click();

    await page.waitForURL((url) => url.pathname === '/connect/result');
    const heading = page.getByRole('heading', { name: "You didn't connect Notion" });
    await heading.waitFor();
    // Focus starts at the heading, as after any page change, for keyboard and screen readers.
    await expect.poll(() => isFocused(heading)).toBe(true);
    await page.getByText('Nothing was connected.').waitFor();
    // A choice the user made is no failure: no alert, no error styling.
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('.result-error, .alert-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    await expectNoAxeViolations(page, 'the denied result page');
    await page.screenshot({ path: '/tmp/plugboard-e2e-denied.png', fullPage: true });

    await page.getByRole('link', { name: 'Back to your connections' }).click();
    await page.getByText('No connections yet').waitFor();
    expect(await page.getByText('Notion —').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('starts again from the result page with "Try again"', async () => {
    await signInAsDemoUser();
    await openNotionConsent();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('heading', { name: "You didn't connect Notion" }).waitFor();

    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Notion connected' }).waitFor();
    await page.getByText(NOTION_ACCOUNT).waitFor();
    expect(pageErrors).toEqual([]);
  });
});

// Every provider folder with a mock-connection.ts, so a new provider is covered with no edit here.
describe('Connect UI: every OAuth provider', () => {
  it.each(mockConnections.map((c) => [c.id, c] as const))(
    'connects %s from its card, shows and lists the account',
    async (_id, c) => {
      const name = findCatalogEntry(c.id)?.name ?? c.id;
      await signInAsDemoUser();
      await page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
      await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
      expect(new URL(page.url()).pathname.startsWith(`/${c.id}/`)).toBe(true);
      await page.getByRole('button', { name: 'Allow' }).click();

      await page.waitForURL((url) => url.pathname === '/connect/result');
      await page.getByRole('heading', { name: `${name} connected` }).waitFor();
      await page.getByRole('link', { name: 'Back to your connections' }).click();
      await page
        .getByRole('listitem')
        .filter({ hasText: `${name} — ${c.label}` })
        .waitFor();
      expect(pageErrors).toEqual([]);
    },
  );
});
