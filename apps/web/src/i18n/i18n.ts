import { setupI18n, type Messages } from '@lingui/core';
import { messages as enMessages } from '../locales/en.json?lingui';
import type enApiKey from '../locales/apiKey/en.json';
import type enCatalog from '../locales/en.json';
import type enErrors from '../locales/errors/en.json';
import type enResult from '../locales/result/en.json';
import type enSignIn from '../locales/signIn/en.json';
import type enTelegram from '../locales/telegram/en.json';
import { DEFAULT_LOCALE, type Locale } from './locales';

/**
 * Every message id the UI may ask for: the keys of the English catalogs, checked by tsc. The
 * first screen's messages are in `locales/<locale>.json`; a screen that loads lazily keeps its
 * own in `locales/<feature>/<locale>.json`, loaded with its code (`loadFeatureMessages`).
 */
export type MessageId =
  | keyof typeof enCatalog
  | keyof typeof enTelegram
  | keyof typeof enResult
  | keyof typeof enApiKey
  | keyof typeof enSignIn
  | keyof typeof enErrors;

type Loader = () => Promise<{ messages: Messages }>;

// English is in the initial bundle (it is also what any other locale falls back to); the others
// load on demand as their own small chunks.
const loaders: Record<Exclude<Locale, 'en'>, Loader> = {
  de: () => import('../locales/de.json?lingui'),
  es: () => import('../locales/es.json?lingui'),
};

export type Feature = 'telegram' | 'result' | 'apiKey' | 'signIn';

/**
 * Parts of a locale that belong to no one screen:
 * - `errors`: the texts of the server's error codes (`errors.<CODE>`), but for those the first
 *   screen shows by itself (`errors.POPUP_BLOCKED`, `errors.EMBED_ORIGIN_NOT_ALLOWED`,
 *   `errors.INTERNAL`, …, kept in `locales/<locale>.json`). In English the UI shows the server's
 *   own message for a server's error (lib/errors.ts), so there only the lazily loaded screens
 *   that name codes themselves (the result page, Telegram's QR step) need them: they load with
 *   those screens (`SHOWS_ERROR_CODES`).
 * - `provider`: provider descriptions and input labels, by provider id. English has no use for
 *   them: without an entry the UI shows the server's text (`useTranslateOr`), which is the
 *   English (catalogs.test.ts checks); `provider/en.json` is the source translators work from.
 * Every other locale translates all of it, so loads both with its first screen's messages.
 */
type Part = Feature | 'errors' | 'provider';
const TRANSLATED_WITH_LOCALE: readonly Part[] = ['errors', 'provider'];

const partLoaders: Record<Part, Record<Locale, Loader>> = {
  telegram: {
    en: () => import('../locales/telegram/en.json?lingui'),
    de: () => import('../locales/telegram/de.json?lingui'),
    es: () => import('../locales/telegram/es.json?lingui'),
  },
  result: {
    en: () => import('../locales/result/en.json?lingui'),
    de: () => import('../locales/result/de.json?lingui'),
    es: () => import('../locales/result/es.json?lingui'),
  },
  apiKey: {
    en: () => import('../locales/apiKey/en.json?lingui'),
    de: () => import('../locales/apiKey/de.json?lingui'),
    es: () => import('../locales/apiKey/es.json?lingui'),
  },
  signIn: {
    en: () => import('../locales/signIn/en.json?lingui'),
    de: () => import('../locales/signIn/de.json?lingui'),
    es: () => import('../locales/signIn/es.json?lingui'),
  },
  errors: {
    en: () => import('../locales/errors/en.json?lingui'),
    de: () => import('../locales/errors/de.json?lingui'),
    es: () => import('../locales/errors/es.json?lingui'),
  },
  provider: {
    en: () => Promise.resolve({ messages: {} }),
    de: () => import('../locales/provider/de.json?lingui'),
    es: () => import('../locales/provider/es.json?lingui'),
  },
};

export const i18n = setupI18n({ locale: DEFAULT_LOCALE, messages: { en: enMessages } });
document.documentElement.lang = DEFAULT_LOCALE;

/** `en`, `de:telegram`, …: what is already in `i18n`. */
const loaded = new Set<string>([DEFAULT_LOCALE]);
const parts = new Set<Part>();
let wanted: Locale = DEFAULT_LOCALE;

async function load(key: string, loader: Loader, locale: Locale): Promise<void> {
  if (loaded.has(key)) return;
  const { messages } = await loader();
  i18n.load(locale, messages);
  loaded.add(key);
}

const loadParts = (locale: Locale) =>
  Promise.all([...parts].map((p) => load(`${locale}:${p}`, partLoaders[p][locale], locale)));

/**
 * Loads the locale's messages if needed (with those of every part loaded so far), switches
 * to it and sets `<html lang>`. When calls overlap (browser locale at start, then the
 * session's), the last one asked for wins.
 */
export async function activateLocale(locale: Locale): Promise<void> {
  wanted = locale;
  if (locale !== 'en') for (const part of TRANSLATED_WITH_LOCALE) parts.add(part);
  await Promise.all([
    locale === 'en' ? undefined : load(locale, loaders[locale], locale),
    loadParts(locale),
  ]);
  if (wanted !== locale || i18n.locale === locale) return;
  i18n.activate(locale);
  document.documentElement.lang = locale;
}

/** The lazily loaded screens that may show an error code's text with no message from the server. */
const SHOWS_ERROR_CODES: ReadonlySet<Feature> = new Set(['telegram', 'result', 'apiKey']);

/**
 * A lazily loaded screen's messages, in the current locale (and any it switches to later), with
 * the error texts (see `Part`) if it needs them.
 */
export async function loadFeatureMessages(feature: Feature): Promise<void> {
  parts.add(feature);
  if (SHOWS_ERROR_CODES.has(feature)) parts.add('errors');
  await loadParts(wanted);
}
