import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { expectNoAxeViolations } from './axe';
import { isFocused, launchBrowser, newPage, signInAsDemoUser } from './browser';

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
  it('asks for the Shopify shop, refuses a bad one at the field, and connects a good one', async () => {
    await signInAsDemoUser(page, stack.url);
    await expectNoAxeViolations(page, 'the connections list');
    const shop = page.getByLabel('Shop domain');
    const connect = page.getByRole('button', { name: 'Connect Shopify', exact: true });
    await shop.pressSequentially('evil.example.com');
    await page.keyboard.press('Enter');

    // The message belongs to the field: under it (above the button), announced, pointed at by
    // aria-describedby, the field marked invalid and focused again to fix it.
    const problem = page.getByRole('alert').filter({ hasText: 'your-shop.myshopify.com' });
    await problem.waitFor();
    await expect.poll(() => isFocused(shop)).toBe(true);
    expect(await shop.getAttribute('aria-invalid')).toBe('true');
    const problemId = await problem.getAttribute('id');
    expect(problemId).toBeTruthy();
    expect((await shop.getAttribute('aria-describedby'))?.split(' ')).toContain(problemId);
    const [shopBox, problemBox, buttonBox] = await Promise.all(
      [shop, problem, connect].map((l) => l.boundingBox()),
    );
    expect(problemBox!.y).toBeGreaterThanOrEqual(shopBox!.y + shopBox!.height);
    expect(problemBox!.y + problemBox!.height).toBeLessThanOrEqual(buttonBox!.y);
    await expectNoAxeViolations(page, 'the connections list with a shop error');
    await page.screenshot({ path: '/tmp/plugboard-e2e-shop-error.png' });

    // The typed text is selected on the way back, so typing replaces it.
    await page.keyboard.type('acme-store');
    expect(await shop.inputValue()).toBe('acme-store');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    expect(new URL(page.url()).pathname).toContain('/shopify/store/acme-store.myshopify.com/');
    await page.getByRole('button', { name: 'Allow' }).click();
    const heading = page.getByRole('heading', { name: 'Shopify connected' });
    await heading.waitFor();
    await expect.poll(() => isFocused(heading)).toBe(true);
    await expectNoAxeViolations(page, 'the success result page');
    await page.getByRole('link', { name: 'Back to your connections' }).click();
    await page.getByText(/^Shopify — .*acme-store\.myshopify\.com/).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('"Try again" after a failure starts again for the same shop', async () => {
    await signInAsDemoUser(page, stack.url);
    await fetch(`${stack.mockUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'shopify', endpoint: 'token', kind: 'error_500' }),
    });
    await page.getByLabel('Shop domain').pressSequentially('acme-store');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: "Couldn't connect Shopify" }).waitFor();

    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    expect(new URL(page.url()).pathname).toContain('/shopify/store/acme-store.myshopify.com/');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Shopify connected' }).waitFor();
    await page
      .getByText(/acme-store\.myshopify\.com/)
      .first()
      .waitFor();
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
    const heading = page.getByRole('heading', { name: "Couldn't connect Notion" });
    await heading.waitFor();
    await expect.poll(() => isFocused(heading)).toBe(true);
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('Try again in a few minutes'));
    await expectNoAxeViolations(page, 'the failure result page');
    await page.screenshot({ path: '/tmp/plugboard-e2e-provider-down.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
