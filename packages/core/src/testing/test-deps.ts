/**
 * Real dependencies for core's own tests: a migrated SQLite database through MikroORM (a temp
 * file, so a second "process" can join it), the injectable ManualClock, a keyring with a test
 * key, and providers in mock mode pointing at a real mock provider server when one is given.
 * Not a test file itself.
 */
import type { ProviderId } from '@plugboard/contracts';
import { migrate, openOrm, type DatabaseConfig, type Em, type Orm } from '@plugboard/db';
import { createMockAuthModes, findCatalogEntry, ProviderHttp } from '@plugboard/providers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { generateKeySpec, parseKeyring, type Keyring } from '../crypto';
import type { CoreDeps, Logger } from '../deps';
import { redirectUriFor } from '../services/oauth-flow';
import type { ResolveHost } from '../services/webhook-egress';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string | undefined;
  obj: object;
}

export interface TestDeps {
  deps: CoreDeps;
  orm: Orm;
  clock: ManualClock;
  /** Everything the services logged, to assert that no secret ever is. */
  logs: LogLine[];
  /** A fresh EntityManager, as one request gets. */
  em(): Em;
  /** Another process on the same database, keys and clock: its own ORM and in-process state. */
  join(): Promise<TestDeps>;
  close(): Promise<void>;
}

export interface TestDepsOptions {
  /** The mock providers' URL (`startMockProviders`); providers are unusable without it. */
  mockUrl?: string;
  clock?: ManualClock;
  publicUrl?: string;
  providerTimeoutMs?: number;
  /** Webhook egress (services/webhook-egress.ts): allowed by default here, as in development. */
  allowPrivateWebhookNetworks?: boolean;
  resolveHost?: ResolveHost;
  /** Another database than the default temp SQLite file (e.g. PostgreSQL for a benchmark). */
  database?: DatabaseConfig;
}

/** The OAuth client a test registers at the mock for a provider (see `ensureMockClient`). */
export const testClient = (providerId: string) => ({
  clientId: `plugboard-test-${providerId}`,
  clientSecret: `test-secret-${providerId}`,
});

const recordingLogger = (logs: LogLine[]): Logger => ({
  info: (obj, msg) => logs.push({ level: 'info', msg, obj }),
  warn: (obj, msg) => logs.push({ level: 'warn', msg, obj }),
  error: (obj, msg) => logs.push({ level: 'error', msg, obj }),
});

function buildDeps(
  opts: TestDepsOptions,
  shared: { keyring: Keyring; clock: ManualClock },
  logs: LogLine[],
): CoreDeps {
  const mockUrl = opts.mockUrl ?? 'http://mock-providers.invalid';
  const http = new ProviderHttp({
    timeoutMs: opts.providerTimeoutMs ?? 5000,
    nameOf: (id) => findCatalogEntry(id)?.name ?? id,
  });
  const publicUrl = opts.publicUrl ?? 'http://plugboard.test';
  return {
    keyring: shared.keyring,
    clock: shared.clock,
    http,
    integrationEnv: () => ({
      mode: undefined,
      client: undefined,
      baseUrl: undefined,
      webhookSecret: undefined,
    }),
    mockIntegration: (providerId: ProviderId) => ({
      ...testClient(providerId),
      baseUrl: `${mockUrl}${findCatalogEntry(providerId)?.mockBasePath ?? `/${providerId}`}`,
    }),
    settings: {
      publicUrl,
      webUrl: publicUrl,
      sessionTtlSeconds: 3600,
      attemptTtlSeconds: 600,
      connectTokenDefaultTtlSeconds: 1800,
      allowInsecureRedirects: true,
      allowPrivateWebhookNetworks: opts.allowPrivateWebhookNetworks ?? true,
    },
    logger: recordingLogger(logs),
    modes: createMockAuthModes(mockUrl, http),
    refreshes: new Map(),
    ...(opts.resolveHost ? { resolveHost: opts.resolveHost } : {}),
  };
}

export async function createTestDeps(opts: TestDepsOptions = {}): Promise<TestDeps> {
  const dir = mkdtempSync(join(tmpdir(), 'plugboard-core-'));
  const path = join(dir, 'core.db');
  const shared = {
    keyring: parseKeyring(generateKeySpec('test1')),
    clock: opts.clock ?? new ManualClock(),
  };
  const config: DatabaseConfig = opts.database ?? { kind: 'sqlite', path };
  const first = await openOrm(config);
  await migrate(first);
  const processes: Orm[] = [first];

  const make = (orm: Orm): TestDeps => {
    const logs: LogLine[] = [];
    return {
      deps: buildDeps(opts, shared, logs),
      orm,
      clock: shared.clock,
      logs,
      em: () => orm.em.fork(),
      async join() {
        const other = await openOrm(config);
        processes.push(other);
        return make(other);
      },
      async close() {
        for (const o of processes.splice(0)) await o.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  return make(first);
}

/**
 * Makes the mock accept this provider's test client with the deps' redirect URI, through the
 * mock's control API (`POST /__control/clients/ensure`, see mocks/providers/README.md).
 */
export async function ensureMockClient(mockUrl: string, deps: CoreDeps, providerId: string) {
  const response = await fetch(`${mockUrl}/__control/clients/ensure`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      provider: providerId,
      ...testClient(providerId),
      redirectUris: [redirectUriFor(deps, providerId)],
    }),
  });
  if (!response.ok) throw new Error(`ensure client → HTTP ${response.status}`);
}
