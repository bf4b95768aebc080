import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

/**
 * Debian's Chromium, never a downloaded browser. The flags keep it from calling home, which
 * both keeps the tests offline and stops stray requests from showing up in the mock's log.
 */
export function launchBrowser({ popupBlocking = false } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    // Playwright disables Chromium's popup blocker; a test of a blocked popup keeps it on.
    ...(popupBlocking ? { ignoreDefaultArgs: ['--disable-popup-blocking'] } : {}),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 } as const;
/** An iPhone 12–15 sized screen, where the layout must still read well. */
export const PHONE = { width: 390, height: 844 } as const;

/** A fresh context (cookies, storage, history) so no test sees another's session. */
export async function newPage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
  // The browser's language (navigator.languages, Accept-Language); English unless a test says.
  { locale = 'en-US' }: { locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page; pageErrors: Error[] }> {
  const context = await browser.newContext({
    viewport,
    locale,
    ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  // An uncaught error in the page is a bug even when every assertion passes: tests check this.
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { context, page, pageErrors };
}

/** Every URL in the tab's back/forward list, as the browser keeps it (via DevTools). */
export async function historyUrls(context: BrowserContext, page: Page): Promise<string[]> {
  const cdp = await context.newCDPSession(page);
  try {
    const { entries } = await cdp.send('Page.getNavigationHistory');
    return entries.map((entry) => entry.url);
  } finally {
    await cdp.detach();
  }
}

/** "Continue as demo user" on the Connect UI, then wait for the empty connections list. */
export async function signInAsDemoUser(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Continue as demo user' }).click();
  await page.getByText('Connected as').waitFor();
  await page.getByText('No connections yet').waitFor();
}

/** Whether `document.activeElement` is the element the locator points at. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}
