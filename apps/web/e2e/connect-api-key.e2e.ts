import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '@plugboard/providers';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { expectNoAxeViolations } from './axe';
import { DESKTOP, isFocused, launchBrowser, newPage, PHONE, signInAsDemoUser } from './browser';

/**
 * Connecting by API key or bot token from the Connect UI: the form each `api_key` provider
 * declares, verified by the (mock) provider before anything is stored, field-level errors with
 * the focus on the field, and disconnect. The providers come from the catalog, so a new one is
 * tested without an edit here.
 */
const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const API_KEY = 'pk_apikeybrowsertest0000001';
const apiKeyProviders = catalog.filter((p) => p.authMode === 'api_key');

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
beforeEach(async () => {
  stack = await startTestStack({ webDistDir, env: { PLUGBOARD_BOOTSTRAP_API_KEY: API_KEY } });
});
afterEach(async () => {
  await context?.close();
  await stack?.close();
});

async function open(viewport: { width: number; height: number }): Promise<void> {
  ({ context, page, pageErrors } = await newPage(browser, viewport));
  await signInAsDemoUser(page, stack.url);
}

/** Credentials the mock issued and will accept: exactly the values to type. */
async function mintCredentials(provider: string): Promise<Record<string, string>> {
  const res = await fetch(`${stack.mockUrl}/__control/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { values: Record<string, string> }).values;
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
  return (await res.json()) as { result?: { data: unknown }; error?: { data: { code: string } } };
}

async function storedConnections(): Promise<{ id: string; providerId: string; status: string }[]> {
  const body = await serverApi('server.connections.list', { externalUserId: 'demo-user' });
  return (body.result!.data as { items: { id: string; providerId: string; status: string }[] })
    .items;
}

const dialogOf = (name: string) => page.getByRole('dialog', { name: `Connect ${name}` });

/** Clicks the provider's Connect button; its form opens with the focus in the first field. */
async function openForm(provider: (typeof apiKeyProviders)[number]): Promise<Locator> {
  const button = page.getByRole('button', { name: `Connect ${provider.name}`, exact: true });
  expect(await button.getAttribute('aria-haspopup')).toBe('dialog');
  await button.click();
  const dialog = dialogOf(provider.name);
  await dialog.waitFor();
  const first = dialog.getByLabel(provider.inputs[0]!.label, { exact: true });
  await expect.poll(() => isFocused(first)).toBe(true);
  return dialog;
}

/** Types each value into its field like a person: click the field, type, on to the next. */
async function typeValues(
  dialog: Locator,
  provider: (typeof apiKeyProviders)[number],
  values: Record<string, string>,
): Promise<void> {
  for (const spec of provider.inputs) {
    const field = dialog.getByLabel(spec.label, { exact: true });
    await field.click();
    await field.pressSequentially(values[spec.name]!);
  }
}

describe('Connect UI: API-key and bot-token providers', () => {
  it('lists every api_key provider with a Connect button', async () => {
    expect(apiKeyProviders.map((p) => p.id).sort()).toEqual(
      ['notion-internal', 'shopify-custom-app', 'stripe-restricted', 'telegram-bot'].sort(),
    );
    await open(DESKTOP);
    for (const provider of apiKeyProviders) {
      await page.getByRole('button', { name: `Connect ${provider.name}`, exact: true }).waitFor();
    }
    expect(pageErrors).toEqual([]);
  });

  it.each(apiKeyProviders.map((p) => [p.id, p] as const))(
    'connects %s with the credentials the mock issued, lists it, then disconnects it',
    async (id, provider) => {
      await open(DESKTOP);
      const values = await mintCredentials(id);
      const dialog = await openForm(provider);

      // Secrets are masked, never autofilled, and can be shown with a real button.
      for (const spec of provider.inputs) {
        const field = dialog.getByLabel(spec.label, { exact: true });
        expect(await field.getAttribute('type')).toBe(spec.secret ? 'password' : 'text');
        expect(await field.getAttribute('autocomplete')).toBe('off');
      }
      await typeValues(dialog, provider, values);
      const secret = provider.inputs.find((spec) => spec.secret)!;
      const secretField = dialog.getByLabel(secret.label, { exact: true });
      await dialog.getByRole('button', { name: `Show ${secret.label}` }).click();
      expect(await secretField.getAttribute('type')).toBe('text');
      expect(await secretField.inputValue()).toBe(values[secret.name]);
      await dialog.getByRole('button', { name: `Hide ${secret.label}` }).click();
      expect(await secretField.getAttribute('type')).toBe('password');
      await page.screenshot({ path: `/tmp/plugboard-e2e-api-key-${id}-form.png` });
      await expectNoAxeViolations(page, `the ${provider.name} form`);

      await secretField.focus();
      await page.keyboard.press('Enter');
      const notice = page.getByRole('status').getByText(`Connected ${provider.name} — `);
      await notice.waitFor();
      expect(await page.getByRole('dialog').count()).toBe(0);
      const row = page.locator('.connection-list > li', { hasText: `${provider.name} — ` });
      await row.waitFor();
      const card = page
        .locator('.provider-grid > li')
        .filter({ has: page.getByRole('heading', { name: provider.name, exact: true }) });
      await card.getByText('Connected as').waitFor();
      await page.screenshot({ path: `/tmp/plugboard-e2e-api-key-${id}-connected.png` });

      // Stored once, and the backend reads exactly what was typed.
      const [stored, ...more] = await storedConnections();
      expect(more).toEqual([]);
      expect(stored).toMatchObject({ providerId: id, status: 'active' });
      const credentials = await serverApi(
        'server.connections.credentials',
        { connectionId: stored!.id },
        'POST',
      );
      expect(credentials.result?.data).toMatchObject({ type: 'api_key', values });

      await row.getByRole('button', { name: 'Disconnect' }).click();
      const confirm = page.getByRole('dialog', { name: `Disconnect ${provider.name}?` });
      await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await page.getByRole('status').getByText(`Disconnected ${provider.name} — `).waitFor();
      await page.getByText('No connections yet').waitFor();
      expect(await storedConnections()).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
  );

  it.each(apiKeyProviders.map((p) => [p.id, p] as const))(
    'refuses a malformed and then a rejected %s secret at its field, storing nothing',
    async (id, provider) => {
      await open(DESKTOP);
      const values = await mintCredentials(id);
      const secret = provider.inputs.find((spec) => spec.secret)!;
      const dialog = await openForm(provider);
      await typeValues(dialog, provider, { ...values, [secret.name]: 'not-a-key' });
      await page.keyboard.press('Enter');

      const field = dialog.getByLabel(secret.label, { exact: true });
      await expectFieldError(field, /.+/);
      const malformed = await fieldErrorText(field);
      await page.screenshot({ path: `/tmp/plugboard-e2e-api-key-${id}-invalid.png` });
      await expectNoAxeViolations(page, `the ${provider.name} form with an error`);

      // Well-formed, but not a key the provider issued: the provider says no.
      // The focused field has its text selected: typing replaces it.
      const wrong =
        values[secret.name]!.slice(0, -4) +
        (values[secret.name]!.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      await page.keyboard.type(wrong);
      await page.keyboard.press('Enter');
      await expectFieldError(
        field,
        new RegExp(`${provider.name.split(' ')[0]}|accept`, 'i'),
        malformed,
      );
      expect(await storedConnections()).toEqual([]);
      expect(await page.getByText('No connections yet').count()).toBe(1);

      // Escape closes the form; focus goes back to the button that opened it.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      const button = page.getByRole('button', { name: `Connect ${provider.name}`, exact: true });
      expect(await isFocused(button)).toBe(true);
      expect(pageErrors).toEqual([]);
    },
  );

  it('refuses a Shopify shop that is not a shop at the shop field', async () => {
    const shopify = apiKeyProviders.find((p) => p.id === 'shopify-custom-app')!;
    await open(DESKTOP);
    const values = await mintCredentials(shopify.id);
    const dialog = await openForm(shopify);
    await typeValues(dialog, shopify, { ...values, shop: 'evil.example.com' });
    await page.keyboard.press('Enter');
    const shop = dialog.getByLabel(shopify.inputs.find((i) => i.name === 'shop')!.label, {
      exact: true,
    });
    await expectFieldError(shop, /myshopify\.com/);
    expect(await storedConnections()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('says so in the form when the provider is down, with the focus kept in the form', async () => {
    const notion = apiKeyProviders.find((p) => p.id === 'notion-internal')!;
    await open(DESKTOP);
    const values = await mintCredentials(notion.id);
    const fault = await fetch(`${stack.mockUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', endpoint: 'identity', kind: 'error_500' }),
    });
    expect(fault.status).toBeLessThan(300);
    const dialog = await openForm(notion);
    await typeValues(dialog, notion, values);
    await page.keyboard.press('Enter');
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not available|try again/i);
    // Not about a field: none is marked invalid, and the form keeps what was typed.
    const field = dialog.getByLabel(notion.inputs[0]!.label, { exact: true });
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    expect(await field.inputValue()).toBe(values[notion.inputs[0]!.name]);
    expect(await storedConnections()).toEqual([]);
    await page.screenshot({ path: '/tmp/plugboard-e2e-api-key-unavailable.png' });
    await expectNoAxeViolations(page, 'the API-key form with the provider down');
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone: the form, the Show button and the connected notice', async () => {
    const notion = apiKeyProviders.find((p) => p.id === 'notion-internal')!;
    await open(PHONE);
    const values = await mintCredentials(notion.id);
    const dialog = await openForm(notion);
    await typeValues(dialog, notion, values);
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    const show = dialog.getByRole('button', { name: /^Show / });
    const showBox = await show.boundingBox();
    expect(showBox!.x + showBox!.width).toBeLessThanOrEqual(box!.x + box!.width);
    await page.screenshot({ path: '/tmp/plugboard-e2e-api-key-phone-form.png' });
    await expectNoAxeViolations(page, 'the API-key form on a phone');
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('status').getByText(`Connected ${notion.name} — `).waitFor();
    await page.screenshot({ path: '/tmp/plugboard-e2e-api-key-phone-connected.png' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    expect(pageErrors).toEqual([]);
  });
});

/** The message that describes the field as invalid (its `…-error` description), or ''. */
async function fieldErrorText(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ');
  const texts = await Promise.all(
    ids.map((id) => (id ? page.locator(`[id="${id}"]`).textContent() : null)),
  );
  return texts.find((text, i) => ids[i]!.endsWith('-error') && text) ?? '';
}

/**
 * The field is marked invalid, described by the message shown under it, and has the focus.
 * `replacing`: the message an earlier submission left, which this one's answer must replace —
 * until that answer arrives the field still shows the old one (or none while it is checked).
 */
async function expectFieldError(
  field: Locator,
  message: RegExp,
  replacing?: string,
): Promise<void> {
  await expect
    .poll(async () => {
      const text = await fieldErrorText(field);
      return text === replacing ? '' : text;
    })
    .toMatch(message);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  await expect.poll(() => isFocused(field)).toBe(true);
}
