import { fileURLToPath } from 'node:url';
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { expectNoAxeViolations } from './axe';
import { PHONE, isFocused, launchBrowser, newPage, signInAsDemoUser } from './browser';

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

async function inbox(phone: string): Promise<InboxMessage[]> {
  const response = await fetch(
    `${stack.mockUrl}/__control/telegram/inbox?phone=${encodeURIComponent(phone)}`,
  );
  return ((await response.json()) as { messages: InboxMessage[] }).messages;
}

/** Every call the mock Telegram got (codes sent, sign-ins, …). */
async function telegramRequests(): Promise<unknown[]> {
  const response = await fetch(`${stack.mockUrl}/__control/requests?provider=telegram`);
  return ((await response.json()) as { requests: unknown[] }).requests;
}

/** The newest unused code the mock Telegram sent to `phone` (waits for it to arrive). */
async function codeSentTo(phone: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      code = (await inbox(phone)).filter((m) => !m.used && !m.expired).at(-1)?.code;
      return code;
    })
    .toBeTruthy();
  return code!;
}

const dialog = () => page.getByRole('dialog', { name: 'Connect Telegram' });
const phoneField = () => page.getByLabel('Phone number');
const codeField = () => page.getByLabel('Code', { exact: true });
const passwordField = () => page.getByLabel('Two-step verification password');

/** Waits until the element is focused (focus moves in an effect after React renders). */
async function expectFocused(locator: ReturnType<Page['getByLabel']>): Promise<void> {
  await expect.poll(() => isFocused(locator)).toBe(true);
}

async function openTelegramDialog(): Promise<void> {
  await page.getByRole('button', { name: 'Connect Telegram', exact: true }).click();
  await dialog().waitFor();
  // The dialog puts the focus on the first thing to fill in.
  await expectFocused(phoneField());
}

/** Types the number like a person (into the focused phone field) and presses Enter. */
async function sendCodeTo(phone: string): Promise<void> {
  await phoneField().pressSequentially(phone);
  await page.keyboard.press('Enter');
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
  it('connects with the phone number and the code, typed and submitted with Enter', async () => {
    await signInAsDemoUser(page, stack.url);
    await openTelegramDialog();
    await expectNoAxeViolations(page, 'the Telegram phone step');

    await sendCodeTo('+15550000001');
    // Its own, empty field, with the focus: the phone number must not carry over.
    await expectFocused(codeField());
    expect(await codeField().inputValue()).toBe('');
    await expectNoAxeViolations(page, 'the Telegram code step');

    await page.keyboard.type(await codeSentTo('+15550000001'));
    await page.keyboard.press('Enter');
    await expectConnected();
    await page.screenshot({ path: '/tmp/plugboard-e2e-telegram-connected.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('takes a national number with the country picked, refusing an impossible one locally', async () => {
    await signInAsDemoUser(page, stack.url);
    await openTelegramDialog();
    await page.getByLabel('Country').selectOption({ label: 'United States (+1)' });
    await phoneField().focus();

    // Too short for any number in the country: refused here, nothing sent to Telegram.
    await phoneField().pressSequentially('555 01');
    await page.keyboard.press('Enter');
    const problem = dialog().getByRole('alert');
    await expect.poll(() => problem.textContent()).toContain('not a valid phone number');
    await expectFocused(phoneField());
    expect(await phoneField().getAttribute('aria-invalid')).toBe('true');
    expect(await phoneField().getAttribute('aria-describedby')).toContain(
      (await problem.getAttribute('id')) ?? 'no id on the message',
    );
    expect(await telegramRequests()).toEqual([]);

    // The way people write it at home; the server gets +15550000001 (E.164).
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('(555) 000-0001');
    await page.keyboard.press('Enter');
    await page.getByText('We sent a code to your Telegram app for +1 555 000 0001').waitFor();
    await page.keyboard.type(await codeSentTo('+15550000001'));
    await page.keyboard.press('Enter');
    await expectConnected();
    expect(pageErrors).toEqual([]);
  });

  it('asks for the two-step verification password, refuses a wrong one, accepts the right one', async () => {
    await signInAsDemoUser(page, stack.url);
    await openTelegramDialog();
    await sendCodeTo('+15550000002');

    // A wrong code is refused with the server's message; the focus is back in the code field,
    // its text selected so that typing the right code replaces it.
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => dialog().getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('That code is not right'));
    await expectFocused(codeField());
    const code = await codeSentTo('+15550000002');
    await page.keyboard.type(code);
    expect(await codeField().inputValue()).toBe(code);
    await page.keyboard.press('Enter');

    await passwordField().waitFor();
    await expectFocused(passwordField());
    expect(await passwordField().inputValue()).toBe('');
    await page.getByText('Hint: the usual').waitFor();
    await expectNoAxeViolations(page, 'the Telegram password step');
    await page.screenshot({ path: '/tmp/plugboard-e2e-telegram-password.png' });
    await page.keyboard.type('hunter3');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => dialog().getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('That password is not right'));
    await expectFocused(passwordField());

    await page.keyboard.type('hunter2');
    await page.keyboard.press('Enter');
    await expectConnected();
    expect(pageErrors).toEqual([]);
  });

  it('connects with a QR code scanned in another Telegram app, never showing the token', async () => {
    await signInAsDemoUser(page, stack.url);
    await openTelegramDialog();
    await page.getByRole('button', { name: 'QR code', exact: true }).click();
    await page.getByRole('button', { name: 'Show QR code' }).click();

    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    await page.getByText('Waiting for you to approve').waitFor();
    await page.getByText('Settings → Devices → Link Desktop Device').waitFor();
    // Drawn in the page (an SVG data URL), never fetched from a QR service.
    const src = (await qr.getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/svg+xml')).toBe(true);
    await expectNoAxeViolations(page, 'the Telegram QR step');
    await page.screenshot({ path: '/tmp/plugboard-e2e-telegram-qr.png' });

    // What a phone's camera reads: the login link with the token the mock is waiting for.
    const scanned = await decodeQr(qr);
    const token = new URL(scanned).searchParams.get('token');
    expect(scanned.startsWith('tg://login?token=')).toBe(true);
    const waiting = (await (await fetch(`${stack.mockUrl}/__control/telegram/qr`)).json()) as {
      tokens: { token: string }[];
    };
    expect(waiting.tokens.map((t) => t.token)).toContain(token);
    // The token logs into the account: it is only in the picture, never as text on the page.
    const text = await page.evaluate(() => document.body.textContent ?? '');
    expect(text).not.toContain(token);
    expect(text).not.toContain('tg://login');

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

describe('Connect UI: Telegram on a phone (390×844)', () => {
  beforeEach(async () => {
    await context.close();
    ({ context, page, pageErrors } = await newPage(browser, PHONE));
  });

  it('keeps the header and the sign-in tabs on one line each', async () => {
    await signInAsDemoUser(page, stack.url);
    const header = page.locator('.app-header');
    const brand = header.getByRole('link', { name: 'Plugboard' });
    const user = header.locator('.session-user');
    const [headerBox, brandBox, userBox] = await Promise.all(
      [header, brand, user].map((l) => l.boundingBox()),
    );
    // The user's name sits beside the brand or below it, without overlapping it, and no part of
    // the header is broken over lines.
    expect(headerBox!.height).toBeLessThanOrEqual(100);
    expect(overlaps(brandBox!, userBox!)).toBe(false);
    expect(await lineCount(user)).toBe(1);
    expect(userBox!.x + userBox!.width).toBeLessThanOrEqual(PHONE.width);
    // The user's id is shown whole, not cut to a letter and an ellipsis; screen readers still
    // hear "Connected as".
    const userId = user.locator('strong');
    expect(await userId.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await user.textContent()).toMatch(/^Connected as \S/);
    await page.screenshot({ path: '/tmp/plugboard-e2e-phone-list.png' });

    await openTelegramDialog();
    const tabs = dialog().getByRole('group', { name: 'How to sign in' }).getByRole('button');
    expect(await tabs.count()).toBe(2);
    const boxes = await Promise.all([tabs.nth(0).boundingBox(), tabs.nth(1).boundingBox()]);
    expect(boxes[0]!.y).toBe(boxes[1]!.y);
    for (const tab of [tabs.nth(0), tabs.nth(1)]) expect(await lineCount(tab)).toBe(1);
    const dialogBox = await dialog().boundingBox();
    expect(dialogBox!.x).toBeGreaterThanOrEqual(0);
    expect(dialogBox!.x + dialogBox!.width).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: '/tmp/plugboard-e2e-phone-telegram.png' });
    await expectNoAxeViolations(page, 'the Telegram phone step on a phone');

    // The QR code and its instructions fit the dialog on the phone's screen.
    await tabs.nth(1).click();
    await page.getByRole('button', { name: 'Show QR code' }).click();
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    const qrBox = await qr.boundingBox();
    expect(qrBox!.x).toBeGreaterThanOrEqual(dialogBox!.x);
    expect(qrBox!.x + qrBox!.width).toBeLessThanOrEqual(dialogBox!.x + dialogBox!.width);
    await page.screenshot({ path: '/tmp/plugboard-e2e-phone-telegram-qr.png' });
    await expectNoAxeViolations(page, 'the Telegram QR step on a phone');
    expect(pageErrors).toEqual([]);
  });
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** How many lines the element's text is laid out on (its line boxes, from the browser). */
function lineCount(locator: ReturnType<Page['locator']>): Promise<number> {
  return locator.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const rects: DOMRect[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects.push(...[...range.getClientRects()].filter((r) => r.width > 0));
    }
    rects.sort((a, b) => a.top - b.top);
    // A rect that starts below the current line's bottom starts a new line.
    let lines = 0;
    let bottom = -Infinity;
    for (const rect of rects) {
      if (rect.top >= bottom - 1) {
        lines += 1;
        bottom = rect.bottom;
      } else {
        bottom = Math.max(bottom, rect.bottom);
      }
    }
    return lines;
  });
}

/** Draws the QR image on a canvas in the page and decodes its pixels with jsQR. */
async function decodeQr(qr: ReturnType<Page['locator']>): Promise<string> {
  const { width, height, data } = await qr.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const size = 240;
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    ctx.drawImage(img, 0, 0, size, size);
    // As base64: a plain array of 230k numbers takes seconds to cross DevTools.
    const bytes = ctx.getImageData(0, 0, size, size).data;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return { width: size, height: size, data: btoa(binary) };
  });
  const decoded = jsQR(new Uint8ClampedArray(Buffer.from(data, 'base64')), width, height);
  expect(decoded, 'the QR code must decode').not.toBeNull();
  return decoded!.data;
}
