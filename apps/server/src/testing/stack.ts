import { generateKeySpec, parseKeyring, type Clock, type ResolveHost } from '@plugboard/core';
import type { DatabaseConfig, Orm } from '@plugboard/db';
import { createPostgresTestDatabase } from '@plugboard/db/testing';
import { startMockProviders } from '@plugboard/mock-providers';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createServer, type PlugboardServer } from '../app';
import { loadEnv, type ServerEnv } from '../env';
import { openDatabase } from '../runtime';

export interface TestStack {
  url: string;
  mockUrl: string;
  orm: Orm;
  server: PlugboardServer;
  env: ServerEnv;
  database: DatabaseConfig;
  /** Every log line the server wrote, for asserting that no secret was logged. */
  logs: string[];
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Starts the mock providers and a Plugboard server on random loopback ports, with real HTTP
 * between them, a real database (a fresh SQLite file unless `database` says otherwise) and the
 * mock's clients registered for this server's callback URLs.
 */
export async function startTestStack(
  opts: {
    database?: DatabaseConfig;
    webDistDir?: string;
    providerTimeoutMs?: number;
    clock?: Clock;
    env?: Record<string, string>;
    /** DNS for webhook hosts (webhook egress tests). */
    resolveHost?: ResolveHost;
    /** Join another stack: same mock providers, database and encryption keys (a second instance). */
    joining?: TestStack;
  } = {},
): Promise<TestStack> {
  const mock = opts.joining
    ? { url: opts.joining.mockUrl, close: async () => undefined }
    : await startMockProviders({ port: 0, host: '127.0.0.1' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tmp = mkdtempSync(join(tmpdir(), 'plugboard-test-'));
  const env = loadEnv({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: url,
    MOCK_PROVIDERS_URL: mock.url,
    DATA_DIR: tmp,
    LOG_LEVEL: 'info',
    PROVIDER_TIMEOUT_MS: String(opts.providerTimeoutMs ?? 5000),
    PLUGBOARD_ENCRYPTION_KEYS: opts.joining?.env.encryptionKeys ?? generateKeySpec('test1'),
    ...(opts.webDistDir ? { WEB_DIST_DIR: opts.webDistDir } : {}),
    ...opts.env,
  });
  for (const [providerId, integration] of Object.entries(env.integrations)) {
    if (integration.mode !== 'mock') continue;
    await fetch(`${mock.url}/__control/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: providerId,
        clientId: integration.clientId,
        clientSecret: integration.clientSecret,
        redirectUris: [url, ...(opts.joining ? [opts.joining.url] : [])].map(
          (base) => `${base}/oauth/callback/${providerId}`,
        ),
      }),
    }).catch(() => undefined);
  }
  const database: DatabaseConfig = opts.joining?.database ??
    opts.database ?? { kind: 'sqlite', path: join(tmp, 'plugboard.db') };
  const orm = await openDatabase(env, database);
  // A second instance reads the same time as the first (as servers on one NTP-synced network
  // do): leases and the forced-refresh coalescing window compare times written by either one.
  const clock = opts.clock ?? opts.joining?.server.deps.clock;
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const server = await createServer({
    env,
    orm,
    keyring: parseKeyring(env.encryptionKeys!),
    logStream,
    ...(clock ? { clock } : {}),
    ...(opts.resolveHost ? { resolveHost: opts.resolveHost } : {}),
  });
  await server.app.listen({ host: '127.0.0.1', port });
  return {
    url,
    mockUrl: mock.url,
    orm,
    server,
    env,
    database,
    logs,
    async close() {
      await server.app.close();
      await orm.close();
      await mock.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * The databases a flow test runs on, for `describe.each`: a SQLite file always, and a fresh
 * database on the run's PostgreSQL when it has one (pass `inject('postgresUrl')`). Each entry
 * yields the `database` option for `startTestStack` (undefined = its own SQLite file).
 */
export function testDatabases(
  postgresUrl: string | null,
): [string, () => Promise<DatabaseConfig | undefined>][] {
  const databases: [string, () => Promise<DatabaseConfig | undefined>][] = [
    ['sqlite', async () => undefined],
  ];
  if (postgresUrl) {
    databases.push([
      'postgresql',
      async () => ({ kind: 'postgresql', url: await createPostgresTestDatabase(postgresUrl) }),
    ]);
  }
  return databases;
}
