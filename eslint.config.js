// @ts-check
import js from '@eslint/js';
import lingui from 'eslint-plugin-lingui';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const serverPackages = ['api', 'core', 'db', 'providers', 'server', 'cli', 'mock-providers'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.turbo/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    // Tests, benchmarks and the bundle measurement never reach the bundle; catalogs.test.ts reads
    // the provider catalog it mirrors.
    ignores: [
      'apps/web/e2e/**',
      'apps/web/vite.config.ts',
      'apps/web/bundle-size.ts',
      'apps/web/env.ts',
      'apps/web/**/*.test.ts',
      'apps/web/**/*.bench.ts',
    ],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The browser bundle may only import *types* from server-side packages: a value import
      // would pull server code (and secrets handling) into the web app.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: serverPackages.map((p) => `@plugboard/${p}`),
              allowTypeImports: true,
              message: 'The web app may import only types from server-side packages.',
            },
          ],
        },
      ],
    },
  },
  {
    // Every user-visible string goes through the catalogs (apps/web/src/locales, README
    // "Languages"): a sentence typed into JSX or a prop fails lint. Ids, class names, URLs and
    // other machine strings are single lowercase words (no spaces), which the first pattern
    // ignores, as in the rule's documented starting configuration.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/**/*.test.ts', 'apps/web/src/**/*.bench.ts'],
    plugins: { lingui },
    rules: {
      'lingui/no-unlocalized-strings': [
        'error',
        {
          // …, UPPER_CASE constants, SVG path data, the product's name.
          ignore: [
            '^(?![A-Z])\\S+$',
            '^[A-Z0-9_-]+$',
            '^[MLHVCSQTAZmlhvcsqtaz][\\d\\s.,MLHVCSQTAZmlhvcsqtaz-]*$',
            '^Plugboard$',
          ],
          ignoreNames: [
            { regex: { pattern: 'className', flags: 'i' } },
            { regex: { pattern: '^[A-Z0-9_-]+$' } },
            'type',
            'id',
            'href',
            'src',
            'd',
            'viewBox',
            'autoComplete',
            'inputMode',
            'pattern',
            'placeholder',
            'method',
            'mode',
          ],
          ignoreFunctions: [
            'Error',
            'console.*',
            'useT',
            't',
            'translateOr',
            '*.querySelector',
            'fetch',
          ],
        },
      ],
    },
  },
  {
    // Provider metadata schemas are read by packages/contracts (browser-safe, below providers)
    // through its generated union: they may import zod and nothing else.
    files: ['packages/providers/src/*/metadata.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$)',
              message: 'A metadata schema may import only zod (contracts reads it).',
            },
          ],
        },
      ],
    },
  },
);
