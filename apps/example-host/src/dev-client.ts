import { createPlugboardClient } from '@plugboard/client';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/**
 * Development only: the API client the example host uses, provisioned on first start so that
 * `pnpm start` → open the page → Connect Notion works with no manual step. It is created with
 * the development admin key Plugboard keeps in `DATA_DIR/dev-api-key` (apps/server/src/start.ts)
 * — what a customer does once with `plugboard api-clients create` — and kept beside it in
 * `DATA_DIR/example-host-client.json` (mode 0600, never printed). A kept client Plugboard no
 * longer accepts (database reset, client revoked) is replaced.
 */
export const DEV_CLIENT_FILE = 'example-host-client.json';
export const DEV_CLIENT_SCOPES = [
  'connect_tokens:write',
  'connections:read',
  'credentials:read',
] as const;

const StoredClientSchema = z.object({ clientId: z.string(), clientSecret: z.string() });
export type DevClient = z.infer<typeof StoredClientSchema>;

export async function ensureDevClient(opts: {
  plugboardUrl: string;
  dataDir: string;
  /** How long to wait for Plugboard (started alongside) and its admin key. */
  waitMs?: number;
}): Promise<{ client: DevClient; created: boolean }> {
  const file = join(opts.dataDir, DEV_CLIENT_FILE);
  const keyFile = join(opts.dataDir, 'dev-api-key');
  await waitFor(opts.waitMs ?? 60_000, async () => {
    const up = await fetch(`${opts.plugboardUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    return up && existsSync(keyFile);
  }).catch(() => {
    throw new Error(
      `Plugboard at ${opts.plugboardUrl} is not up with a development key in ${keyFile}: start it with pnpm start, or set PLUGBOARD_CLIENT_ID and PLUGBOARD_CLIENT_SECRET.`,
    );
  });

  if (existsSync(file)) {
    const kept = StoredClientSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (kept.success && (await accepted(opts.plugboardUrl, kept.data))) {
      return { client: kept.data, created: false };
    }
  }
  const admin = createPlugboardClient({
    url: opts.plugboardUrl,
    apiKey: readFileSync(keyFile, 'utf8').trim(),
  });
  const { clientId, clientSecret } = await admin.apiClients.create.mutate({
    name: 'example host (development)',
    scopes: [...DEV_CLIENT_SCOPES],
  });
  mkdirSync(opts.dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ clientId, clientSecret })}\n`, { mode: 0o600 });
  return { client: { clientId, clientSecret }, created: true };
}

/** Whether Plugboard still issues tokens to this client (RFC 6749 §4.4 request). */
async function accepted(plugboardUrl: string, client: DevClient): Promise<boolean> {
  const res = await fetch(`${plugboardUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }).toString(),
  });
  return res.ok;
}

async function waitFor(ms: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(250);
  }
}
