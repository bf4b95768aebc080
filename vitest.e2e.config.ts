import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser tests of every app and of the mock providers' pages.
    include: ['{apps,mocks}/*/e2e/**/*.e2e.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // A real browser plus a server and the mock providers per test: slow, and one at a time so
    // the tests do not compete for the CPU and time out.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
