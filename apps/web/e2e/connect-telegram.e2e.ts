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

interface InboxMessage {
  code: string;
  used: boolean;
  expired: boolean;
}

/** The newest unused code the mock Telegram sent to `phone` (waits for it to arrive). */
async function codeSentTo(phone: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const response = await fetch(
        `${stack.mockUrl}/__control/telegram/inbox?phone=${encodeURIComponent(phone)}`,
      );
      const inbox = (await response.json()) as { messages: InboxMessage[] };
      code = inbox.messages.filter((m) => !m.used && !m.expired).at(-1)?.code;
      return code;
    })
    .toBeTruthy();
  return code!;
}

async function openTelegramDialog(): Promise<void> {
  await page.getByRole('button', { name: 'Connect Telegram', exact: true }).click();
  await page.getByRole('dialog', { name: 'Connect Telegram' }).waitFor();
  // The dialog puts the focus on the first thing to fill in.
  const phoneField = page.getByLabel('Phone number');
  await expect.poll(() => phoneField.evaluate((el) => el === document.activeElement)).toBe(true);
}

async function sendCodeTo(phone: string): Promise<void> {
  await page.getByLabel('Phone number').fill(phone);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByText('We sent a code to your Telegram app').waitFor();
}

async function expectConnected(): Promise<void> {
  await page
    .getByRole('status')
    .getByText(/^Connected Telegram — /)
    .waitFor();
  await page.locator('.connection-title', { hasText: /^Telegram — / }).waitFor();
  expect(await page.getByRole('dialog').count()).toBe(0);
}

describe('Connect UI: Telegram', () => {
  it('connects an account with the phone number and the code', async () => {
    await signInAsDemoUser(page, stack.url);
    await openTelegramDialog();

    // A number without the country code never reaches the server.
    await page.getByLabel('Phone number').fill('5550000001');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('with the country code'));

    await sendCodeTo('+15550000001');
    const code = await codeSentTo('+15550000001');
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Verify code' }).click();

    await expectConnected();
    await page.screenshot({ path: '/tmp/plugboard-e2e-telegram-connected.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('asks for the two-step verification password, refuses a wrong one, accepts the right one', async () => {
    await signInAsDemoUser(page, stack.url);
    await openTelegramDialog();
    await sendCodeTo('+15550000002');

    // A wrong code is refused with the server's message, and the code stays usable.
    await page.getByLabel('Code', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Verify code' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('That code is not right'));

    await page.getByLabel('Code', { exact: true }).fill(await codeSentTo('+15550000002'));
    await page.getByRole('button', { name: 'Verify code' }).click();

    const password = page.getByLabel('Two-step verification password');
    await password.waitFor();
    await page.getByText('Hint: the usual').waitFor();
    await page.screenshot({ path: '/tmp/plugboard-e2e-telegram-password.png' });
    await password.fill('hunter3');
    await page.getByRole('button', { name: 'Verify password' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('That password is not right'));

    await password.fill('hunter2');
    await page.getByRole('button', { name: 'Verify password' }).click();
    await expectConnected();
    expect(pageErrors).toEqual([]);
  });

  it('connects with a login link approved in another Telegram app (QR)', async () => {
    await signInAsDemoUser(page, stack.url);
    await openTelegramDialog();
    await page.getByRole('button', { name: 'QR login link' }).click();
    await page.getByRole('button', { name: 'Get login link' }).click();

    const link = page.getByRole('link', { name: /^tg:\/\/login\?token=/ });
    await link.waitFor();
    await page.getByText('Waiting for you to approve').waitFor();
    // The QR code is drawn in the page (an SVG data URL), never fetched from a QR service.
    const qr = page.getByRole('img', { name: /QR code of the login link/ });
    await qr.waitFor();
    const src = (await qr.getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/svg+xml')).toBe(true);
    expect(decodeURIComponent(src)).toContain('<path');
    await page.screenshot({ path: '/tmp/plugboard-e2e-telegram-qr.png' });

    const token = new URL((await link.textContent()) ?? '').searchParams.get('token');
    expect(token).toBeTruthy();
    const waiting = (await (await fetch(`${stack.mockUrl}/__control/telegram/qr`)).json()) as {
      tokens: { token: string }[];
    };
    expect(waiting.tokens.map((t) => t.token)).toContain(token);

    const approved = await fetch(`${stack.mockUrl}/__control/telegram/qr/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, phone: '+15550000001' }),
    });
    expect(approved.status).toBe(200);

    await expectConnected();
    expect(pageErrors).toEqual([]);
  });
});
