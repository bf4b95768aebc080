import { createPlugboardClient, type PlugboardClient } from '@plugboard/client';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from './axe';
import { DESKTOP, launchBrowser, newPage, PHONE, signInAsDemoUser } from './browser';

/**
 * A provider the operator turns off with `server.integrations.disable`, as the end user sees it:
 * gone from the Connect UI's list, back once `server.integrations.upsert` enables it, and a
 * connect link made for it while it is off says so on screen — what is wrong and what to do —
 * instead of an empty list. At desktop and phone sizes.
 */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const API_KEY = 'pk_disabledproviderbrowsertest01';
const USER = 'user-disabled-provider';

let browser: Browser;
let stack: TestStack;
let admin: PlugboardClient;
const contexts: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  if (!existsSync(`${webDistDir}/index.html`)) throw new Error('run `pnpm turbo run build` first');
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
beforeEach(async () => {
  stack = await startTestStack({ webDistDir, env: { PLUGBOARD_BOOTSTRAP_API_KEY: API_KEY } });
  admin = createPlugboardClient({ url: stack.url, apiKey: API_KEY });
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await stack?.close();
});

async function open(viewport: { width: number; height: number }) {
  const opened = await newPage(browser, viewport);
  contexts.push(opened.context);
  return opened;
}

const shownProviders = (page: Page) => page.locator('.provider-grid > li h3').allTextContents();

describe.each([
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const)('Connect UI on a %s: a provider turned off', (size, viewport) => {
  it('leaves the list, and comes back when enabled again', async () => {
    const { page, pageErrors } = await open(viewport);
    await signInAsDemoUser(page, stack.url);
    expect(await shownProviders(page)).toContain('Calendly');

    await admin.integrations.disable.mutate({ providerId: 'calendly' });
    await page.reload();
    await page.getByRole('button', { name: 'Connect Notion', exact: true }).waitFor();
    expect(await shownProviders(page)).not.toContain('Calendly');
    // Searching for it finds nothing either.
    const search = page.getByRole('searchbox', { name: 'Find a provider' });
    await search.click();
    await search.pressSequentially('calendly');
    await page.getByText('No provider matches “calendly”').waitFor();
    await page.screenshot({ path: `/tmp/plugboard-e2e-disabled-list-${size}.png`, fullPage: true });

    await admin.integrations.upsert.mutate({ providerId: 'calendly', enabled: true });
    await page.reload();
    await page.getByRole('button', { name: 'Connect Calendly', exact: true }).waitFor();
    expect(await shownProviders(page)).toContain('Calendly');
    expect(pageErrors).toEqual([]);
  });

  it('a connect link made for it says it is turned off and what to do, until it is on again', async () => {
    await admin.integrations.disable.mutate({ providerId: 'calendly' });
    // The host's backend can still mint the link: the provider may be on again before it is used.
    const { connectLinkUrl } = await admin.connectTokens.create.mutate({
      externalUserId: USER,
      providerId: 'calendly',
    });

    const { page, pageErrors } = await open(viewport);
    await page.goto(connectLinkUrl);
    const alert = page.getByRole('alert');
    await alert.getByText('This provider cannot be connected now').waitFor();
    expect(await alert.textContent()).toContain(
      'Calendly is turned off for this app, so this link cannot connect it now. Ask the administrator of the app to turn Calendly on, then reload this page.',
    );
    expect(await page.getByText('No provider matches').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Connect/ }).count()).toBe(0);
    // Nothing is cut off or pushed sideways on a small screen.
    const box = (await alert.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );
    await page.screenshot({ path: `/tmp/plugboard-e2e-disabled-link-${size}.png`, fullPage: true });
    await expectNoAxeViolations(page, `a link for a provider turned off (${size})`);

    // Turned on again, the same page offers it (the session the link opened is still valid).
    await admin.integrations.upsert.mutate({ providerId: 'calendly', enabled: true });
    await page.reload();
    await page.getByRole('button', { name: 'Connect Calendly', exact: true }).waitFor();
    expect(await shownProviders(page)).toEqual(['Calendly']);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
