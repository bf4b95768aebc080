import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { launchBrowser, newPage } from './browser';

const webDistDir = fileURLToPath(new URL('../dist', import.meta.url));
const read = (path: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../src/locales/${path}.json`, import.meta.url), 'utf8'));
/** The first screen's messages and those of the API-key form (loaded with the form). */
const catalog = (locale: string) => ({ ...read(locale), ...read(`apiKey/${locale}`) });
const en = catalog('en');
const apiKey = 'pk_localesE2eTestKey0001';

let browser: Browser;
let stack: TestStack;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
  stack = await startTestStack({ webDistDir, env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** What a host app's backend does: mint a connect link for its user (server.connectTokens.create). */
async function connectLink(input: { externalUserId: string; locale?: string }): Promise<string> {
  const res = await fetch(`${stack.url}/trpc/server.connectTokens.create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: { data: { connectLinkUrl: string } } };
  return body.result.data.connectLinkUrl;
}

/**
 * No English sentence of the UI on screen: every English catalog text that the locale words
 * differently (placeholders aside, at least two words) must be absent from the page's text.
 */
async function expectNoEnglish(page: Page, locale: string) {
  const translated = catalog(locale);
  const text = await page.locator('body').innerText();
  const english = Object.entries(en)
    .filter(([key, message]) => translated[key] !== message && !/[{<]/.test(message))
    .map(([, message]) => message)
    .filter((message) => message.includes(' '));
  expect(english.filter((message) => text.includes(message))).toEqual([]);
}

async function open(locale: string, link: string) {
  const opened = await newPage(browser, undefined, { locale });
  context = opened.context;
  await opened.page.goto(link);
  return opened;
}

describe('Connect UI in the connect token’s or the browser’s language', () => {
  it('walks a German connect link through connecting and disconnecting Notion', async () => {
    const link = await connectLink({ externalUserId: 'user-de', locale: 'de' });
    // The browser prefers Spanish: the host app's choice in the token wins.
    const { page, pageErrors } = await open('es-ES', link);

    await page.getByRole('heading', { level: 1, name: 'Verbinden Sie Ihre Konten' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await expect(page.title()).resolves.toBe('Ihre Verbindungen · Plugboard');
    await page.getByText('Verbunden als user-de').waitFor();
    await page.getByText('Noch keine Verbindungen').waitFor();
    // A provider description from the server, shown from the German catalog by provider id.
    await page.getByText('Seiten, Datenbanken und Wikis eines Notion-Workspace.').waitFor();
    await expectNoEnglish(page, 'de');
    await page.screenshot({ path: '/tmp/plugboard-e2e-de-list.png', fullPage: true });

    // Search finds a provider by its German description, and says so in German.
    const search = page.getByRole('searchbox', { name: 'Anbieter suchen' });
    const count = page.locator('.provider-search-count');
    const shown = () => page.locator('.provider-grid .provider-name').allTextContents();
    await search.pressSequentially('auszahlungen');
    await expect.poll(shown).toEqual(['Stripe']);
    await expect.poll(() => count.textContent()).toBe('1 Anbieter');
    await page.keyboard.press('Escape');
    await search.pressSequentially('xyzzy');
    await page.getByText('Kein Anbieter passt zu „xyzzy“').waitFor();
    await expect.poll(() => count.textContent()).toBe('0 Anbieter');
    await expectNoEnglish(page, 'de');
    await page.getByRole('button', { name: 'zeigen Sie alle Anbieter an' }).click();
    expect(await search.evaluate((node) => node === document.activeElement)).toBe(true);
    expect((await shown()).length).toBeGreaterThan(1);
    // German runs longer than English: on a phone nothing may push the page sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/plugboard-e2e-de-list-phone.png' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.setViewportSize({ width: 1280, height: 900 });

    // The Telegram dialog, too: its first step is German, and its close button says "Schließen".
    await page.getByRole('button', { name: 'Telegram verbinden' }).click();
    const telegram = page.getByRole('dialog', { name: 'Telegram verbinden' });
    const phone = telegram.getByLabel('Telefonnummer');
    await phone.waitFor();
    await telegram.getByRole('button', { name: 'Telefon und Code' }).waitFor();
    // The country picker names countries in German; the browser's Spanish picks Spain.
    const country = telegram.getByLabel('Land');
    expect(await country.locator('option:checked').textContent()).toBe('Spanien (+34)');
    await country.selectOption({ label: 'Deutschland (+49)' });
    await phone.pressSequentially('123');
    await page.keyboard.press('Enter');
    await telegram
      .getByText(
        'Das ist keine gültige Telefonnummer für Deutschland (+49). Prüfen Sie die Nummer oder wählen Sie ein anderes Land.',
      )
      .waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('phone');
    await expectNoEnglish(page, 'de');
    // The QR step's instructions, with the menu path inside a sentence.
    await telegram.getByRole('button', { name: 'QR-Code', exact: true }).click();
    await telegram.getByText(/Wenn Telegram auf dem Gerät ist/).waitFor();
    await telegram.getByRole('button', { name: 'QR-Code anzeigen' }).click();
    await telegram.getByText('Öffnen Sie Telegram auf Ihrem Telefon.').waitFor();
    await telegram
      .getByRole('listitem')
      .filter({ hasText: 'Gehen Sie zu Einstellungen → Geräte → Desktop-Gerät verbinden.' })
      .waitFor();
    await telegram
      .getByRole('img', { name: 'QR-Code zum Scannen mit der Telegram-App auf Ihrem Telefon' })
      .waitFor();
    await telegram.getByText(/Warten auf Ihre Bestätigung/).waitFor();
    await expectNoEnglish(page, 'de');
    await page.screenshot({ path: '/tmp/plugboard-e2e-de-telegram-qr.png' });
    await telegram.getByRole('button', { name: 'Schließen' }).click();
    await telegram.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Notion verbinden', exact: true }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL((url) => url.pathname === '/connect/result');
    await page.getByRole('heading', { name: 'Notion verbunden' }).waitFor();
    await page.getByText('Die App, von der Sie kommen, kann dieses Konto jetzt nutzen.').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await expectNoEnglish(page, 'de');
    await page.screenshot({ path: '/tmp/plugboard-e2e-de-result.png', fullPage: true });

    await page.getByRole('link', { name: 'Zurück zu Ihren Verbindungen' }).click();
    const row = page.getByRole('listitem').filter({ hasText: 'Acme Workspace' });
    await row.getByText('Gerade eben verbunden').waitFor();
    // The exact time, as the tooltip, the German way: "01.12.2026, 22:05".
    const time = row.locator('time');
    const title = await time.getAttribute('title');
    expect(title).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    const iso = (await time.getAttribute('datetime'))!;
    const expected = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short' });
    expect(title).toBe(expected.format(new Date(iso)));
    await expectNoEnglish(page, 'de');

    await row.getByRole('button', { name: 'Trennen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Notion trennen?' });
    await dialog.getByText('wird entfernt, und Notion wird gebeten').waitFor();
    await dialog.getByRole('button', { name: 'Trennen', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .getByText(/getrennt$/)
      .waitFor();
    await page.getByText('Noch keine Verbindungen').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('translates server errors by code: a German deny and a used link', async () => {
    const link = await connectLink({ externalUserId: 'user-de-2', locale: 'de-AT' });
    const { page, pageErrors } = await open('en-US', link);
    await page.getByRole('button', { name: 'Notion verbinden', exact: true }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.mockUrl).origin);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.pathname === '/connect/result');
    // The user's own Deny is a neutral outcome, not an error, in German too.
    await page
      .getByRole('heading', { level: 1, name: 'Sie haben Notion nicht verbunden' })
      .waitFor();
    await page
      .getByText('Es wurde nichts verbunden. Sie können es jederzeit erneut versuchen.')
      .waitFor();
    await expect(page.title()).resolves.toBe('Sie haben Notion nicht verbunden · Plugboard');
    await page.getByRole('button', { name: 'Erneut versuchen' }).waitFor();
    await expectNoEnglish(page, 'de');

    // The link again: already used, so the server answers with a code and no session.
    await page.goto(link);
    await page.getByText(/Dieser Verbindungslink ist ungültig/).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("uses the browser's language when the token names none: Spanish", async () => {
    const link = await connectLink({ externalUserId: 'user-es' });
    const { page, pageErrors } = await open('es-ES', link);
    await page.getByRole('heading', { level: 1, name: 'Conecta tus cuentas' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByRole('button', { name: 'Conectar Notion', exact: true }).waitFor();
    await page.getByText('Todavía no hay conexiones').waitFor();
    await expectNoEnglish(page, 'es');
    await page.screenshot({ path: '/tmp/plugboard-e2e-es-list.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows an API-key form in the locale: German labels, hints and buttons', async () => {
    const link = await connectLink({ externalUserId: 'user-de-key', locale: 'de' });
    const { page, pageErrors } = await open('en-US', link);
    await page.getByText('Ein Stripe-Konto, mit einem eingeschränkten API-Schlüssel').waitFor();
    await page.getByRole('button', { name: 'Stripe (restricted key) verbinden' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stripe (restricted key) verbinden' });
    const field = dialog.getByLabel('Eingeschränkter Schlüssel', { exact: true });
    await field.waitFor();
    expect(await field.evaluate((node) => node === document.activeElement)).toBe(true);
    await dialog.getByText(/^Im Stripe-Dashboard: Entwickler → API-Schlüssel/).waitFor();
    await dialog.getByRole('button', { name: 'Eingeschränkter Schlüssel anzeigen' }).waitFor();
    await dialog.getByRole('button', { name: 'Abbrechen' }).waitFor();
    await expectNoEnglish(page, 'de');
    await page.screenshot({ path: '/tmp/plugboard-e2e-de-api-key.png' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });
});
