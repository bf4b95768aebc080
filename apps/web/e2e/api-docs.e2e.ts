import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { DESKTOP, launchBrowser, newPage, PHONE } from './browser';

/**
 * The API reference at /docs (apps/server/src/rest/docs.ts): it renders the server's own
 * OpenAPI document under the strict CSP, and the browser asks nobody but this server.
 */
let browser: Browser;
let stack: TestStack;

beforeAll(async () => {
  browser = await launchBrowser();
  stack = await startTestStack();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe.each([
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const)('/docs on %s', (name, viewport) => {
  it('shows the operations, makes no third-party request and breaks no CSP rule', async () => {
    const { context, page, pageErrors } = await newPage(browser, viewport);
    const requested: string[] = [];
    const cspViolations: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    try {
      const response = await page.goto(`${stack.url}/docs`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await expect
        .poll(() => page.getByText('Plugboard server API').first().isVisible(), { timeout: 20_000 })
        .toBe(true);
      // An operation from the route table, with its summary, rendered from the served document.
      await expect
        .poll(() => page.getByText('Mint a connect token (and link) for an end user').count())
        .toBeGreaterThan(0);
      await page.screenshot({ path: `.reports/api-docs-${name}.png` }).catch(() => undefined);
      const origin = new URL(stack.url).origin;
      const foreign = requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
      expect(foreign).toEqual([]);
      expect(requested).toContain(`${origin}/v1/openapi.json`);
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
