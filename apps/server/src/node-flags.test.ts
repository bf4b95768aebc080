import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverStartCommand } from './node-flags';

describe('the server start flags', () => {
  it('are the ones `pnpm --filter @plugboard/server start` passes, with the process environment', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toBe(serverStartCommand('dist/main.js'));
  });
});
