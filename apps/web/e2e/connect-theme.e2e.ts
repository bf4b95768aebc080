import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contrastRatio } from '@plugboard/contracts';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { launchBrowser, newPage, signInAsDemoUser } from './browser';
import { expectNoAxeViolations } from './axe';

/** The host's theme: name, logo (from the host's own origin) and an accent checked for contrast. */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32" viewBox="0 0 64 32"><rect width="64" height="32" rx="6" fill="#0f766e"/><text x="32" y="21" font-size="14" text-anchor="middle" fill="#fff">ACME</text></svg>';

let browser: Browser;
let logoServer: Server;
let logoOrigin: string;
let logoRequests: number;
let stack: TestStack | undefined;
let context: BrowserContext;
let page: Page;
let pageErrors: Error[];
let cspViolations: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  // The host's own site, serving its logo: another origin than Plugboard's.
  logoServer = createServer((req, res) => {
    if (req.url === '/logo.svg') {
      logoRequests += 1;
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO_SVG);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => logoServer.listen(0, '127.0.0.1', resolve));
  logoOrigin = `http://127.0.0.1:${(logoServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => logoServer?.close(resolve));
});
beforeEach(async () => {
  logoRequests = 0;
  ({ context, page, pageErrors } = await newPage(browser));
  cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});
afterEach(async () => {
  await context?.close();
  await stack?.close();
  stack = undefined;
});

/** "rgb(15, 118, 110)" → "#0f766e". */
function hexOf(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return `#${[r, g, b].map((c) => (c ?? 0).toString(16).padStart(2, '0')).join('')}`;
}

async function colorsOf(locator: ReturnType<Page['locator']>) {
  const { background, color } = await locator.evaluate((el) => {
    const style = getComputedStyle(el);
    return { background: style.backgroundColor, color: style.color };
  });
  return { background: hexOf(background), color: hexOf(color) };
}

describe('Connect UI: the host theme', () => {
  it.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ] as const)(
    'shows the host name, logo and accent with readable text (%s)',
    async (label, width, height) => {
      stack = await startTestStack({
        webDistDir,
        env: {
          PLUGBOARD_BRAND_NAME: 'Acme Cloud',
          PLUGBOARD_BRAND_ACCENT: '#0f766e',
          PLUGBOARD_BRAND_LOGO_URL: `${logoOrigin}/logo.svg`,
        },
      });
      await page.setViewportSize({ width, height });
      const response = await page.goto(stack.url);
      // The CSP lets images come from exactly the logo's origin, and nothing else is loosened.
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain(`img-src 'self' data: ${logoOrigin};`);
      expect(csp).toContain("default-src 'self';");

      // Before there is a session the host is unknown to the page: Plugboard's own look.
      await page.getByRole('banner').getByText('Plugboard', { exact: true }).waitFor();
      const demo = page.getByRole('button', { name: 'Continue as demo user' });
      expect((await colorsOf(demo)).background).toBe('#4338ca');
      await demo.click();
      await page.getByText('No connections yet').waitFor();

      const header = page.getByRole('banner');
      await header.getByText('Acme Cloud', { exact: true }).waitFor();
      expect(await header.getByText('Plugboard').count()).toBe(0);
      const logo = header.locator('img.brand-logo');
      await expect
        .poll(() => logo.evaluate((img) => (img as HTMLImageElement).naturalWidth))
        .toBeGreaterThan(0);
      expect(await logo.getAttribute('src')).toBe(`${logoOrigin}/logo.svg`);
      expect(logoRequests).toBeGreaterThan(0);
      await page.screenshot({ path: `/tmp/plugboard-e2e-theme-list-${label}.png` });
      await expectNoAxeViolations(page, 'the themed list');

      // The result page's primary button wears the accent, with text that reads on it.
      await page.getByRole('button', { name: 'Connect Notion', exact: true }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByRole('heading', { name: 'Notion connected' }).waitFor();
      await header.getByText('Acme Cloud', { exact: true }).waitFor();
      const primary = page.getByRole('link', { name: 'Back to your connections' });
      await expect.poll(async () => (await colorsOf(primary)).background).toBe('#0f766e');
      const { background, color } = await colorsOf(primary);
      expect(color).toBe('#ffffff');
      expect(contrastRatio(background, color)).toBeGreaterThanOrEqual(4.5);
      await page.screenshot({ path: `/tmp/plugboard-e2e-theme-${label}.png`, fullPage: true });
      await expectNoAxeViolations(page, 'the themed result page');
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
  );

  it('falls back to the default accent when the configured one cannot carry text', async () => {
    // Pale yellow: dark text would read on it, but as link colour on the light page it is 1.3:1.
    stack = await startTestStack({
      webDistDir,
      env: { PLUGBOARD_BRAND_NAME: 'Sunny', PLUGBOARD_BRAND_ACCENT: '#fde047' },
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAsDemoUser(page, stack.url);
    await page.getByRole('banner').getByText('Sunny', { exact: true }).waitFor();
    // No logo configured: no image, and images stay limited to this server.
    expect(await page.locator('img.brand-logo').count()).toBe(0);
    const csp = (await fetch(stack.url, { headers: { accept: 'text/html' } })).headers.get(
      'content-security-policy',
    );
    expect(csp).toContain("img-src 'self' data:;");
    expect(stack.logs.join('')).toContain(
      'does not reach 4.5:1 contrast in the light colour scheme',
    );
    await page.getByRole('searchbox', { name: 'Find a provider' }).pressSequentially('xyz');
    const link = page.getByRole('button', { name: 'show all providers' });
    const { color } = await colorsOf(link);
    expect(color).toBe('#4338ca');
    expect(contrastRatio(color, '#f5f6f8')).toBeGreaterThanOrEqual(4.5);
    expect(pageErrors).toEqual([]);
  });
});
