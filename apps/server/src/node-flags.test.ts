import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from './node-flags';

describe('the server start flags', () => {
  it('are the ones `pnpm --filter @plugboard/server start` passes, with the process environment', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const env = Object.entries(SERVER_PROCESS_ENV).map(([k, v]) => `${k}=${v}`);
    expect(pkg.scripts.start).toBe(
      [...env, 'node', ...SERVER_NODE_FLAGS, 'dist/main.js'].join(' '),
    );
  });
});
