import { describe, expect, it } from 'vitest';
import { countryOptions, defaultCountry, formatInternational, parsePhone } from './phone-number';

describe('phone numbers for Telegram', () => {
  it('reads a number as written at home in the chosen country, as E.164', () => {
    expect(parsePhone('(555) 000-0001', 'US')).toMatchObject({
      ok: true,
      e164: '+15550000001',
      national: '(555) 000-0001',
      international: '+1 555 000 0001',
    });
    expect(parsePhone('030 123456789', 'DE')).toMatchObject({ ok: true, e164: '+4930123456789' });
  });

  it('lets a leading + and country code override the chosen country', () => {
    expect(parsePhone('+44 20 7946 0958', 'US')).toMatchObject({
      ok: true,
      e164: '+442079460958',
      country: 'GB',
    });
  });

  it.each([['555 01'], [''], ['hello'], ['+1 555'], ['1234567890123456789']])(
    'refuses %j (not a possible number)',
    (text) => {
      expect(parsePhone(text, 'US')).toEqual({ ok: false });
    },
  );

  it('picks the country from the browser languages, else the United States', () => {
    expect(defaultCountry(['de-DE', 'en'])).toBe('DE');
    expect(defaultCountry(['en-GB'])).toBe('GB');
    expect(defaultCountry(['fr'])).toBe('FR');
    expect(defaultCountry(['not a tag'])).toBe('US');
    expect(defaultCountry([])).toBe('US');
  });

  it('names every country with its calling code in the page language, sorted by name', () => {
    const en = countryOptions('en');
    expect(en.length).toBeGreaterThan(200);
    expect(en).toContainEqual({ code: 'US', label: 'United States (+1)' });
    const names = en.map((c) => c.label);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(countryOptions('de')).toContainEqual({ code: 'DE', label: 'Deutschland (+49)' });
  });

  it('formats an E.164 number for reading', () => {
    expect(formatInternational('+15550000001')).toBe('+1 555 000 0001');
  });
});
