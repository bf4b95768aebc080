import { setupI18n, type Messages } from '@lingui/core';
import { messages as enMessages } from '../locales/en.json?lingui';
import type enCatalog from '../locales/en.json';
import { DEFAULT_LOCALE, type Locale } from './locales';

/** Every message id the UI may ask for: the keys of the English catalog, checked by tsc. */
export type MessageId = keyof typeof enCatalog;

// English is in the initial bundle (it is also what any other locale falls back to); the others
// load on demand as their own small chunks.
const loaders: Record<Exclude<Locale, 'en'>, () => Promise<{ messages: Messages }>> = {
  de: () => import('../locales/de.json?lingui'),
  es: () => import('../locales/es.json?lingui'),
};

export const i18n = setupI18n({ locale: DEFAULT_LOCALE, messages: { en: enMessages } });
document.documentElement.lang = DEFAULT_LOCALE;

const loaded = new Set<Locale>([DEFAULT_LOCALE]);
let wanted: Locale = DEFAULT_LOCALE;

/**
 * Loads the locale's messages if needed, switches to it and sets `<html lang>`. When calls
 * overlap (browser locale at start, then the session's), the last one asked for wins.
 */
export async function activateLocale(locale: Locale): Promise<void> {
  wanted = locale;
  if (!loaded.has(locale) && locale !== 'en') {
    const { messages } = await loaders[locale]();
    i18n.load(locale, messages);
    loaded.add(locale);
  }
  if (wanted !== locale || i18n.locale === locale) return;
  i18n.activate(locale);
  document.documentElement.lang = locale;
}
