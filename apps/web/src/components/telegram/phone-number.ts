import {
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';

// Parsing and formatting by libphonenumber-js (Google's libphonenumber metadata):
// https://gitlab.com/catamphetamine/libphonenumber-js#readme

export interface CountryOption {
  code: CountryCode;
  label: string;
}

/** Every country with its calling code, named in the page's language, sorted by name. */
export function countryOptions(locale: string): CountryOption[] {
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  return getCountries()
    .map((code) => ({ code, name: regionName(names, code) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale))
    .map(({ code, name }) => ({ code, label: `${name} (+${getCountryCallingCode(code)})` }));
}

function regionName(names: Intl.DisplayNames, code: CountryCode): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The country of the browser's language (en-GB → GB), or the United States. */
export function defaultCountry(languages: readonly string[]): CountryCode {
  const known = new Set<string>(getCountries());
  for (const language of languages) {
    try {
      const region = new Intl.Locale(language).maximize().region;
      if (region && known.has(region)) return region as CountryCode;
    } catch {
      // A malformed language tag: try the next one.
    }
  }
  return 'US';
}

export type ParsedPhone =
  | { ok: true; e164: string; international: string; national: string; country: CountryCode | null }
  | { ok: false };

/**
 * The number as typed at home for `country` (`(555) 000-0001`), or in international form with a
 * leading `+`, which overrides the country. Only its length is checked here (`isPossible`):
 * Telegram decides whether the number exists, and `isValid` would refuse number ranges newer
 * than this copy of the metadata.
 */
export function parsePhone(text: string, country: CountryCode): ParsedPhone {
  const number = parsePhoneNumberFromString(text, { defaultCountry: country });
  if (!number?.isPossible()) return { ok: false };
  return {
    ok: true,
    e164: number.number,
    international: number.formatInternational(),
    national: number.formatNational(),
    country: number.country ?? null,
  };
}

/** An E.164 number (`+15550000001`) as people read it: `+1 555 000 0001`. */
export function formatInternational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
