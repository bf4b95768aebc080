import { describe, expect, it } from 'vitest';
import { localeFor, resolveLocale } from './locales';

describe('resolveLocale', () => {
  it('takes the first preference it ships, exactly or by language', () => {
    expect(resolveLocale(['de'])).toBe('de');
    expect(resolveLocale(['de-AT'])).toBe('de');
    expect(resolveLocale(['es-419', 'de'])).toBe('es');
    expect(resolveLocale(['fr-FR', 'fr', 'es-ES', 'en'])).toBe('es');
    expect(resolveLocale(['EN-gb'])).toBe('en');
  });

  it('falls back to English for unshipped, invalid or no preferences', () => {
    expect(resolveLocale(['fr', 'ja'])).toBe('en');
    expect(resolveLocale(['not a tag', '*'])).toBe('en');
    expect(resolveLocale([])).toBe('en');
  });
});

describe('localeFor', () => {
  it("prefers the connect token's locale over the browser's", () => {
    expect(localeFor('de-CH', ['es-ES', 'en'])).toBe('de');
    expect(localeFor(null, ['es-ES', 'en'])).toBe('es');
    expect(localeFor(undefined, [])).toBe('en');
  });

  it("falls back from an unshipped token locale by language, then to English, not the browser's", () => {
    expect(localeFor('fr-CA', ['es-ES'])).toBe('en');
  });
});
