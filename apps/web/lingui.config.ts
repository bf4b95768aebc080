import { defineConfig } from '@lingui/conf';
import { formatter } from '@lingui/format-json';

/**
 * The Connect UI's catalogs: one JSON file per locale, keyed by message id, ICU MessageFormat
 * values (https://lingui.dev/guides/message-format). Hand-written, not extracted: ids are typed
 * from en.json (src/i18n/i18n.ts), and src/i18n/catalogs.test.ts checks the files agree.
 * @lingui/vite-plugin compiles them at build time, so no ICU parser ships to the browser.
 */
export default defineConfig({
  sourceLocale: 'en',
  locales: ['en', 'de', 'es'],
  // The first screen's messages, then those of screens that load lazily (src/i18n/i18n.ts).
  catalogs: [
    { path: '<rootDir>/src/locales/{locale}', include: ['<rootDir>/src'] },
    { path: '<rootDir>/src/locales/telegram/{locale}', include: ['<rootDir>/src'] },
    { path: '<rootDir>/src/locales/result/{locale}', include: ['<rootDir>/src'] },
    { path: '<rootDir>/src/locales/apiKey/{locale}', include: ['<rootDir>/src'] },
    { path: '<rootDir>/src/locales/signIn/{locale}', include: ['<rootDir>/src'] },
    { path: '<rootDir>/src/locales/errors/{locale}', include: ['<rootDir>/src'] },
    { path: '<rootDir>/src/locales/provider/{locale}', include: ['<rootDir>/src'] },
  ],
  format: formatter({ style: 'minimal' }),
});
