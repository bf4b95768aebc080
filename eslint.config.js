// @ts-check
import js from '@eslint/js';
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
    ignores: ['apps/web/e2e/**', 'apps/web/vite.config.ts'],
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
