import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { launchBrowser, newPage, signInAsDemoUser } from './browser';

const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));

let browser: Browser;
let stack: TestStack;
let context: BrowserContext;
let page: Page;
let pageErrors: Error[];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  stack = await startTestStack({ webDistDir });
  ({ context, page, pageErrors } = await newPage(browser));
});
afterEach(async () => {
  await context?.close();
  await stack?.close();
});

describe('Connect UI: provider inputs and failures', () => {
  it('asks for the Shopify shop, refuses a bad one, and connects a good one', async () => {
    await signInAsDemoUser(page, stack.url);
    const shop = page.getByLabel('Shop domain');
    await shop.fill('evil.example.com');
    await page.getByRole('button', { name: 'Connect Shopify', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('your-shop.myshopify.com'));

    await shop.fill('acme-store');
    await page.getByRole('button', { name: 'Connect Shopify', exact: true }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    expect(new URL(page.url()).pathname).toContain('/shopify/store/acme-store.myshopify.com/');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Shopify connected' }).waitFor();
    await page.getByRole('link', { name: 'Back to your connections' }).click();
    await page.getByText(/^Shopify — .*acme-store\.myshopify\.com/).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('tells the user when the provider is down during the exchange', async () => {
    await signInAsDemoUser(page, stack.url);
    await fetch(`${stack.mockUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', endpoint: 'token', kind: 'error_500' }),
    });
    await page.getByRole('button', { name: 'Connect Notion', exact: true }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: "Couldn't connect Notion" }).waitFor();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('Try again in a few minutes'));
    await page.screenshot({ path: '/tmp/plugboard-e2e-provider-down.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
