import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, ERROR_MESSAGES } from '@plugboard/contracts';
import { catalog, toSummary } from '@plugboard/providers';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from './locales';

const srcDir = fileURLToPath(new URL('..', import.meta.url));
/** The first screen's catalog, those of lazily loaded screens and the other parts (src/i18n/i18n.ts). */
const PARTS = ['', 'telegram/', 'result/', 'apiKey/', 'signIn/', 'errors/', 'provider/'];
const loadPart = (part: string, locale: string): Record<string, string> =>
  JSON.parse(readFileSync(join(srcDir, 'locales', `${part}${locale}.json`), 'utf8'));
const load = (locale: string): Record<string, string> =>
  Object.assign({}, ...PARTS.map((part) => loadPart(part, locale)));
const catalogs = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, load(l)]));
const en = catalogs.en!;

/** `{name}`, `{n, plural, …}` and `<0>` in a message: what the code fills in. */
function placeholders(message: string): string[] {
  const variables = [...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => `{${m[1]}}`);
  const tags = [...message.matchAll(/<(\/?\d+)>/g)].map((m) => `<${m[1]}>`);
  return [...new Set([...variables, ...tags])].sort();
}

/** Every source file of the app, for the unused-key check. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('locale catalogs', () => {
  it.each(SUPPORTED_LOCALES.filter((l) => l !== 'en'))(
    '%s has exactly the keys of English, none empty, with the same placeholders',
    (locale) => {
      const messages = catalogs[locale]!;
      const missing = Object.keys(en).filter((key) => !Object.hasOwn(messages, key));
      const extra = Object.keys(messages).filter((key) => !Object.hasOwn(en, key));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      for (const [key, message] of Object.entries(messages)) {
        expect(message.trim(), key).not.toBe('');
        expect(placeholders(message), key).toEqual(placeholders(en[key]!));
      }
    },
  );

  it.each(PARTS.slice(1))('keeps the %s messages in their own file in every locale', (part) => {
    const keys = (locale: string) => Object.keys(loadPart(part, locale)).sort();
    const prefix = part.replace('/', '.');
    expect(keys('en').length).toBeGreaterThan(0);
    for (const key of keys('en')) expect(key.startsWith(prefix), key).toBe(true);
    for (const locale of SUPPORTED_LOCALES) expect(keys(locale), locale).toEqual(keys('en'));
  });

  it('keeps with the first screen the error texts it shows without a message from the server', () => {
    // A blocked popup (lib/use-start-oauth.ts), a page not allowed to embed (embed/embed.ts),
    // and no code, no network or a wait asked for (lib/errors.ts): in English too, the rest
    // shows the server's message until `errors/` has loaded (i18n.ts, `Feature`).
    const shown = [
      'POPUP_BLOCKED',
      'EMBED_ORIGIN_NOT_ALLOWED',
      'INTERNAL',
      'unreachable',
      'retryAfter',
    ];
    for (const locale of SUPPORTED_LOCALES) {
      const first = loadPart('', locale);
      const missing = shown.filter((name) => !Object.hasOwn(first, `errors.${name}`));
      expect(missing, locale).toEqual([]);
    }
  });

  it('translates every error code, with the English the server sends', () => {
    const errorKeys = Object.keys(en).filter((key) => /^errors\.[A-Z_]+$/.test(key));
    expect(errorKeys.sort()).toEqual(ERROR_CODES.map((code) => `errors.${code}`).sort());
    for (const code of ERROR_CODES) expect(en[`errors.${code}`]).toBe(ERROR_MESSAGES[code]);
  });

  it("keys provider texts by provider id, with the server's English", () => {
    // A provider without entries is fine (the UI shows the server's English); an entry must
    // match a real provider and its current English, so a changed description gets re-translated.
    const server = new Map<string, string>();
    for (const p of catalog.map(toSummary)) {
      server.set(`provider.${p.id}.description`, p.description);
      for (const input of p.inputs) {
        // An API-key provider's fields are shown only in its form, so their texts load with it.
        const key = `${p.authMode === 'api_key' ? 'apiKey.' : ''}provider.${p.id}.inputs.${input.name}`;
        server.set(`${key}.label`, input.label);
        if (input.hint) server.set(`${key}.hint`, input.hint);
      }
    }
    const providerKeys = Object.keys(en).filter((key) => /^(apiKey\.)?provider\./.test(key));
    expect(providerKeys.length).toBeGreaterThan(0);
    for (const key of providerKeys) expect([key, en[key]]).toEqual([key, server.get(key)]);
  });

  it('has no key the code never uses', () => {
    const code = sources(srcDir)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const used = new Set(
      [...code.matchAll(/['"`]([a-z][A-Za-z]*(?:\.[A-Za-z0-9]+)+)['"`]/g)].map((m) => m[1]),
    );
    // Looked up by a computed key: error codes (errors.ts) and provider ids (provider-card.tsx,
    // api-key-dialog.tsx).
    const computed = (key: string) =>
      /^errors\.[A-Z_]+$/.test(key) || /^(apiKey\.)?provider\./.test(key);
    const unused = Object.keys(en).filter((key) => !used.has(key) && !computed(key));
    expect(unused).toEqual([]);
  });
});
