/** The languages the Connect UI ships, English first: it is the source and the last fallback. */
export const SUPPORTED_LOCALES = ['en', 'de', 'es'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

function isSupported(tag: string): tag is Locale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(tag);
}

/** Canonical tag and its bare language (`de-AT` → `de-AT`, `de`), or null if not a valid tag. */
function parse(tag: string): { tag: string; language: string } | null {
  try {
    const locale = new Intl.Locale(tag);
    return { tag: locale.baseName, language: locale.language };
  } catch {
    return null;
  }
}

/**
 * The shipped locale for a list of preferences, best first: the first that names a shipped
 * locale exactly, or else by its language (`de-AT` → `de`, `es-419` → `es`), wins; with none,
 * English. RFC 4647 "lookup", shortened to the two levels our locales have.
 */
export function resolveLocale(preferences: readonly string[]): Locale {
  for (const preference of preferences) {
    const parsed = parse(preference);
    if (!parsed) continue;
    if (isSupported(parsed.tag)) return parsed.tag;
    if (isSupported(parsed.language)) return parsed.language;
  }
  return DEFAULT_LOCALE;
}

/**
 * Where the locale comes from: the connect token's (the host app knows its user's language), or
 * else the browser's list. A token locale we do not ship falls back by language, then to English
 * (the host asked for that language, not for the browser's).
 */
export function localeFor(sessionLocale: string | null | undefined, browser: readonly string[]) {
  return resolveLocale(sessionLocale ? [sessionLocale] : browser);
}
