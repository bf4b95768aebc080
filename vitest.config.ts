import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,packages,mocks}/*/src/**/*.test.ts'],
    benchmark: { include: ['{apps,packages,mocks}/*/src/**/*.bench.ts'] },
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['./scripts/test/postgres-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
