import { createPlugboardClient } from '@plugboard/client';
import { startTestStack, type TestStack } from '@plugboard/server/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_FILE, DEV_CLIENT_SCOPES, ensureDevClient } from './dev-client';

/**
 * `pnpm start`'s first start of the example host: it provisions its API client with the
 * development admin key, keeps it (0600), reuses it on the next start, and replaces it when
 * Plugboard no longer accepts it.
 */
describe('the example host provisions its development API client', () => {
  const apiKey = `pk_${randomBytes(24).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'plugboard-example-host-'));
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
    writeFileSync(join(dataDir, 'dev-api-key'), `${apiKey}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates it once, reuses it, and replaces a revoked one', async () => {
    const opts = { plugboardUrl: stack.url, dataDir, waitMs: 5000 };
    const first = await ensureDevClient(opts);
    expect(first.created).toBe(true);
    const file = join(dataDir, DEV_CLIENT_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.client);

    const admin = createPlugboardClient({ url: stack.url, apiKey });
    const { items } = await admin.apiClients.list.query();
    expect(items.map((c) => [c.id, c.scopes])).toEqual([
      [first.client.clientId, [...DEV_CLIENT_SCOPES]],
    ]);
    // No secret in Plugboard's logs either.
    expect(stack.logs.join('')).not.toContain(first.client.clientSecret);

    const again = await ensureDevClient(opts);
    expect(again).toEqual({ client: first.client, created: false });

    await admin.apiClients.revoke.mutate({ id: first.client.clientId as never });
    const replaced = await ensureDevClient(opts);
    expect(replaced.created).toBe(true);
    expect(replaced.client.clientId).not.toBe(first.client.clientId);
    // The new client works: it mints connect tokens.
    const host = createPlugboardClient({ url: stack.url, ...replaced.client });
    await expect(
      host.connectTokens.create.mutate({ externalUserId: 'example-host-user' }),
    ).resolves.toHaveProperty('token');
  });

  it('says what to do when Plugboard is not running', async () => {
    await expect(
      ensureDevClient({ plugboardUrl: 'http://127.0.0.1:9', dataDir, waitMs: 300 }),
    ).rejects.toThrow(/start it with pnpm start, or set PLUGBOARD_CLIENT_ID/);
  });
});
