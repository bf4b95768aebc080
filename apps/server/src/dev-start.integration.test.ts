import { startMockProviders } from '@plugboard/mock-providers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { mockClientsFor } from './mock-clients';
import { startPlugboard, type StartedPlugboard } from './start';
import { BrowserAgent, freePort } from './testing';

/**
 * `PORT=3161 pnpm start` with nothing else done: the server is started the way main.ts starts
 * it, on a port the mock's committed dev clients do not know, and a Notion flow must complete.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, stream };
}

async function startMock(port = 0) {
  const mock = await startMockProviders({ port, host: '127.0.0.1' });
  cleanups.push(() => mock.close());
  return mock;
}

async function startDevServer(
  vars: Record<string, string>,
  opts: { port?: number; dataDir?: string; mockRetryDelaysMs?: number[] } = {},
) {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'plugboard-devstart-'));
  if (!opts.dataDir) cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  // Development, as `pnpm start` runs it: default PUBLIC_URL (http://localhost:$PORT), pretty logs.
  const env = loadEnv({ PORT: String(port), DATA_DIR: dataDir, ...vars });
  const logs = logSink();
  const server: StartedPlugboard = await startPlugboard(env, {
    logStream: logs.stream,
    ...(opts.mockRetryDelaysMs ? { mockRetryDelaysMs: opts.mockRetryDelaysMs } : {}),
  });
  cleanups.push(() => server.close());
  return { server, env, logs: logs.lines, port, dataDir };
}

async function connectNotion(publicUrl: string) {
  const browser = new BrowserAgent(publicUrl);
  await browser.demoLogin(publicUrl);
  return browser.connect(publicUrl, 'notion');
}

describe('starting the server in mock mode on any port', () => {
  it('completes a Notion flow on a non-default port with no extra step', async () => {
    const mock = await startMock();
    const { server, env, logs } = await startDevServer({ MOCK_PROVIDERS_URL: mock.url });
    expect(env.publicUrl).not.toMatch(/:(3000|5173)$/);

    expect(await server.mockClients).toMatchObject({ status: 'registered' });
    const attempt = await connectNotion(env.publicUrl);
    expect(attempt).toMatchObject({ status: 'completed', providerId: 'notion' });

    // Development logs are for people (pino-pretty), and carry no secret either way.
    expect(logs.some((l) => l.includes("this server's redirect URIs are registered"))).toBe(true);
    expect(logs.some((l) => l.trimStart().startsWith('{'))).toBe(false);
    expect(logs.some((l) => /INFO.*request completed/.test(l))).toBe(true);
    const all = logs.join('\n');
    expect(all).not.toContain(env.integrations.notion.clientSecret);
    expect(all).not.toMatch(/code=|state=|pb_session=/);
  });

  it('registers the Connect UI origin too when it is served elsewhere (pnpm dev)', async () => {
    const mock = await startMock();
    const port = await freePort();
    const webUrl = `http://localhost:${await freePort()}`;
    const { server } = await startDevServer(
      { MOCK_PROVIDERS_URL: mock.url, WEB_URL: webUrl },
      { port },
    );
    await server.mockClients;
    const ensured = await ensureAtMock(mock.url, []);
    expect(ensured.client.redirectUris).toEqual(
      expect.arrayContaining([
        `http://localhost:${port}/oauth/callback/notion`,
        `${webUrl}/oauth/callback/notion`,
      ]),
    );
  });

  it('waits for a mock that starts after the server', async () => {
    const mockPort = await freePort();
    const { server, env, logs } = await startDevServer(
      { MOCK_PROVIDERS_URL: `http://127.0.0.1:${mockPort}` },
      { mockRetryDelaysMs: [100, 200, 400, 800, 1600, 3200] },
    );
    await new Promise((r) => setTimeout(r, 250));
    await startMock(mockPort);

    expect(await server.mockClients).toMatchObject({ status: 'registered' });
    expect(logs.some((l) => l.includes('waiting for the mock providers'))).toBe(true);
    expect(await connectNotion(env.publicUrl)).toMatchObject({ status: 'completed' });
  });

  it('keeps running with a clear warning when the mock never comes', async () => {
    const nobody = await freePort();
    const { server, env, logs } = await startDevServer(
      { MOCK_PROVIDERS_URL: `http://127.0.0.1:${nobody}` },
      { mockRetryDelaysMs: [10, 10] },
    );
    expect(await server.mockClients).toEqual({ status: 'unreachable', attempts: 3 });
    const warning = logs.find((l) => l.includes('mock providers unreachable'));
    expect(warning).toContain('WARN');
    expect(warning).toContain(`http://127.0.0.1:${nobody}`);
    expect(warning).toContain('invalid redirect_uri');
    expect((await fetch(`${env.publicUrl}/healthz`)).status).toBe(200);
  });

  it('is idempotent across restarts on the same port and data directory', async () => {
    const mock = await startMock();
    const first = await startDevServer({ MOCK_PROVIDERS_URL: mock.url });
    await first.server.mockClients;
    await cleanups.pop()!(); // stop the first server (its data dir stays for the restart)
    const second = await startDevServer(
      { MOCK_PROVIDERS_URL: mock.url },
      { port: first.port, dataDir: first.dataDir },
    );
    expect(await second.server.mockClients).toMatchObject({ status: 'registered' });

    const uri = `${second.env.publicUrl}/oauth/callback/notion`;
    const ensured = await ensureAtMock(mock.url, [uri]);
    expect(ensured.added).toEqual([]);
    expect(ensured.client.redirectUris.filter((u) => u === uri)).toHaveLength(1);
    expect(await connectNotion(second.env.publicUrl)).toMatchObject({ status: 'completed' });
  });

  it('never sends a live-mode provider to the mock', async () => {
    const mock = await startMock();
    const { server, env } = await startDevServer({
      MOCK_PROVIDERS_URL: mock.url,
      NOTION_CLIENT_ID: 'live-notion-id',
      NOTION_CLIENT_SECRET: 'live-notion-secret',
    });
    expect(mockClientsFor(env).map((c) => c.provider)).not.toContain('notion');
    expect(JSON.stringify(mockClientsFor(env))).not.toContain('live-notion-secret');
    const result = await server.mockClients;
    expect(result.status === 'registered' && result.providers).not.toContain('notion');
    // The mock never heard of the live client.
    const authorize = await fetch(
      `${mock.url}/notion/v1/oauth/authorize?client_id=live-notion-id&response_type=code&owner=user`,
    );
    expect(authorize.status).toBe(400);
  });
});

/** Asks the mock what the Notion dev client holds (ensure is idempotent, so this reads it). */
async function ensureAtMock(mockUrl: string, redirectUris: string[]) {
  const response = await fetch(`${mockUrl}/__control/clients/ensure`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      provider: 'notion',
      clientId: 'plugboard-dev-notion',
      clientSecret: 'mock-secret-notion-dev',
      redirectUris,
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { client: { redirectUris: string[] }; added: string[] };
}
