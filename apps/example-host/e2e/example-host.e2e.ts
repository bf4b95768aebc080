import { createPlugboardClient } from '@plugboard/client';
import { freePort, startTestStack, type TestStack } from '@plugboard/server/testing';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, newPage } from '../../web/e2e/browser';
import { createExampleHost, type ExampleHost } from '../src/app';
import { ensureDevClient } from '../src/dev-client';

/**
 * The example host app (issue 9 §4) as a person uses it: its page on http://localhost:<port>,
 * Plugboard on http://127.0.0.1:<port> (another origin and site). Click Connect Notion → the
 * SDK's popup → the mock's consent → onSuccess on the page → the host's backend reads fresh
 * credentials and calls Notion's API → the page shows Notion's answer. Its API client is the one
 * `pnpm start` provisions (src/dev-client.ts), from the development admin key.
 */
const webDistDir = fileURLToPath(new URL('../../web/dist', import.meta.url));
const sdkFile = fileURLToPath(
  new URL('../../../packages/connect/dist/connect.js', import.meta.url),
);
const apiKey = `pk_${randomBytes(24).toString('hex')}`;

let browser: Browser;
let stack: TestStack;
let host: ExampleHost;
let hostUrl: string;
let dataDir: string;
let context: BrowserContext;
let page: Page;
let pageErrors: Error[];

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
  // As `pnpm start` leaves it: Plugboard's development admin key in the data directory.
  dataDir = mkdtempSync(join(tmpdir(), 'plugboard-example-host-'));
  writeFileSync(join(dataDir, 'dev-api-key'), `${apiKey}\n`, { mode: 0o600 });
  const { client } = await ensureDevClient({ plugboardUrl: stack.url, dataDir, waitMs: 5000 });
  const port = await freePort();
  hostUrl = `http://localhost:${port}`;
  host = createExampleHost({
    publicUrl: hostUrl,
    plugboardUrl: stack.url,
    client,
    notionApiUrl: `${stack.mockUrl}/notion`,
  });
  await host.listen(port, '127.0.0.1');
  ({ context, page, pageErrors } = await newPage(browser, DESKTOP));
});
afterEach(async () => {
  await context?.close();
  await host?.close();
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openHostPage() {
  await page.goto(hostUrl);
  await page.waitForFunction(() => (window as { exampleHostReady?: boolean }).exampleHostReady);
}

describe('the example host app', () => {
  it('connects Notion in a popup and shows what its backend got from Notion', async () => {
    await openHostPage();
    expect(new URL(page.url()).origin).not.toBe(new URL(stack.url).origin);
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Connect Notion' }).click();
    const popup = await popupOpened;
    await popup.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popup.waitForEvent('close');

    // onSuccess's connection is the one Plugboard's API lists for the host's user.
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const { items } = await plugboard.connections.list.query({
      externalUserId: 'example-host-user',
    });
    expect(items).toHaveLength(1);
    const status = page.getByRole('status');
    await expect
      .poll(() => status.textContent())
      .toBe(`Connected: Acme Workspace (ada@acme.example) (${items[0]!.id})`);

    // The host's backend read fresh credentials and called Notion's GET /v1/users/me.
    const summary = page.locator('#api-summary');
    await expect
      .poll(() => summary.textContent())
      .toMatch(/^Notion says: bot ".+" in workspace "Acme Workspace"\.$/);
    const answer = JSON.parse((await page.locator('#api-result').textContent()) ?? '{}') as {
      object?: string;
      type?: string;
    };
    expect(answer).toMatchObject({ object: 'user', type: 'bot' });
    const { requests } = (await (
      await fetch(`${stack.mockUrl}/__control/requests?provider=notion&endpoint=identity`)
    ).json()) as { requests: unknown[] };
    // Plugboard's own identity call when connecting, then the host backend's with the credentials.
    expect(requests).toHaveLength(2);
    await page.screenshot({ path: '/tmp/plugboard-e2e-example-host.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('refuses a token mint from another site, and a connection that is not its user’s', async () => {
    const minted = await fetch(`${hostUrl}/api/connect-token`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(minted.status).toBe(403);
    const foreign = await fetch(
      `${hostUrl}/api/notion/me?connectionId=conn_doesnotexist0000000000`,
    );
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({
      message: 'You have no Notion connection with that id.',
    });
  });
});
