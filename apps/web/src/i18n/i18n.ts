import { setupI18n, type Messages } from '@lingui/core';
import { messages as enMessages } from '../locales/en.json?lingui';
import type enApiKey from '../locales/apiKey/en.json';
import type enCatalog from '../locales/en.json';
import type enResult from '../locales/result/en.json';
import type enTelegram from '../locales/telegram/en.json';
import { DEFAULT_LOCALE, type Locale } from './locales';

/**
 * Every message id the UI may ask for: the keys of the English catalogs, checked by tsc. The
 * first screen's messages are in `locales/<locale>.json`; a screen that loads lazily keeps its
 * own in `locales/<feature>/<locale>.json`, loaded with its code (`loadFeatureMessages`).
 */
export type MessageId =
  keyof typeof enCatalog | keyof typeof enTelegram | keyof typeof enResult | keyof typeof enApiKey;

type Loader = () => Promise<{ messages: Messages }>;

// English is in the initial bundle (it is also what any other locale falls back to); the others
// load on demand as their own small chunks.
const loaders: Record<Exclude<Locale, 'en'>, Loader> = {
  de: () => import('../locales/de.json?lingui'),
  es: () => import('../locales/es.json?lingui'),
};

export type Feature = 'telegram' | 'result' | 'apiKey';
const featureLoaders: Record<Feature, Record<Locale, Loader>> = {
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
};

export const i18n = setupI18n({ locale: DEFAULT_LOCALE, messages: { en: enMessages } });
document.documentElement.lang = DEFAULT_LOCALE;

/** `en`, `de:telegram`, …: what is already in `i18n`. */
const loaded = new Set<string>([DEFAULT_LOCALE]);
const features = new Set<Feature>();
let wanted: Locale = DEFAULT_LOCALE;

async function load(key: string, loader: Loader, locale: Locale): Promise<void> {
  if (loaded.has(key)) return;
  const { messages } = await loader();
  i18n.load(locale, messages);
  loaded.add(key);
}

const loadFeatures = (locale: Locale) =>
  Promise.all([...features].map((f) => load(`${locale}:${f}`, featureLoaders[f][locale], locale)));

/**
 * Loads the locale's messages if needed (with those of every feature loaded so far), switches
 * to it and sets `<html lang>`. When calls overlap (browser locale at start, then the
 * session's), the last one asked for wins.
 */
export async function activateLocale(locale: Locale): Promise<void> {
  wanted = locale;
  await Promise.all([
    locale === 'en' ? undefined : load(locale, loaders[locale], locale),
    loadFeatures(locale),
  ]);
  if (wanted !== locale || i18n.locale === locale) return;
  i18n.activate(locale);
  document.documentElement.lang = locale;
}

/** A lazily loaded screen's messages, in the current locale (and any it switches to later). */
export async function loadFeatureMessages(feature: Feature): Promise<void> {
  features.add(feature);
  await loadFeatures(wanted);
}
