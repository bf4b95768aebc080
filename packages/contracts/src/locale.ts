import { safeString } from './strings';

/**
 * A BCP 47 language tag (RFC 5646) as people use them: a two- or three-letter ISO 639 language,
 * then optional script, region and extensions (`de`, `de-AT`, `zh-Hant-TW`, `es-419`). It is
 * checked and canonicalised by the runtime's own parser (`Intl.getCanonicalLocales`, ECMA-402),
 * so `de-at` is stored as `de-AT`. Whether the Connect UI ships that language is its concern: an
 * unsupported one falls back by language, then to English (apps/web/src/i18n/locales.ts).
 */
function canonicalLocale(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    // RangeError: well-formed characters but not a valid tag (e.g. a repeated subtag).
    return null;
  }
}

const LOCALE_MESSAGE = 'locale must be a BCP 47 language tag, like de or pt-BR';

// refine + overwrite (not transform) keeps the schema's input and output types the same, so it
// still converts to JSON Schema for the REST twin.
export const LocaleSchema = safeString()
  .max(35, 'locale must be at most 35 characters')
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/, LOCALE_MESSAGE)
  .refine((tag) => canonicalLocale(tag) !== null, LOCALE_MESSAGE)
  .overwrite((tag) => canonicalLocale(tag) ?? tag);
