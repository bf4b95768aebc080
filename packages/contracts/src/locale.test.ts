import { describe, expect, it } from 'vitest';
import { LocaleSchema } from './locale';

describe('LocaleSchema', () => {
  it('accepts BCP 47 tags and stores them in canonical case', () => {
    expect(LocaleSchema.parse('de')).toBe('de');
    expect(LocaleSchema.parse('de-at')).toBe('de-AT');
    expect(LocaleSchema.parse('ZH-hant-tw')).toBe('zh-Hant-TW');
    expect(LocaleSchema.parse('es-419')).toBe('es-419');
  });

  it('refuses what is not a language tag', () => {
    for (const tag of ['', 'german', 'de_DE', 'de-', 'en-US-u-', 'e', '12', 'x'.repeat(36)]) {
      expect(LocaleSchema.safeParse(tag).success, tag).toBe(false);
    }
  });
});
