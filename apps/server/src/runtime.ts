import type { ProviderId } from '@plugboard/contracts';
import {
  ensureApiKey,
  errorSummary,
  generateKeySpec,
  parseKeyring,
  systemClock,
  type Clock,
  type CoreDeps,
  type IntegrationEnv,
  type MockIntegration,
  type Keyring,
  type Logger,
  type ResolveHost,
} from '@plugboard/core';
import { databaseConfigFrom, migrate, openOrm, type DatabaseConfig, type Orm } from '@plugboard/db';
import {
  createAuthModes,
  findCatalogEntry,
  HttpTelegramGateway,
  LiveTelegramGateway,
  ProviderHttp,
  type TelegramGateway,
} from '@plugboard/providers';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockDevClient, type ServerEnv } from './env';
import type { Observability } from './observability';

/**
 * In development a key is generated once and kept in the data directory (mode 0600) so restarts
 * can still read the stored credentials. Production must pass PLUGBOARD_ENCRYPTION_KEYS.
 */
export function loadKeyring(env: ServerEnv): Keyring {
  if (env.encryptionKeys) return parseKeyring(env.encryptionKeys);
  mkdirSync(env.dataDir, { recursive: true });
  const file = join(env.dataDir, 'encryption.key');
  if (!existsSync(file)) writeFileSync(file, `${generateKeySpec('dev1')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return parseKeyring(readFileSync(file, 'utf8').trim());
}

export function databaseConfig(env: ServerEnv): DatabaseConfig {
  return databaseConfigFrom(env.databaseUrl, join(env.dataDir, 'plugboard.db'));
}

/** Opens and migrates the database, and registers the bootstrap API key if one is set. */
export async function openDatabase(env: ServerEnv, config = databaseConfig(env)): Promise<Orm> {
  const orm = await openOrm(config);
  const key = env.bootstrapApiKey;
  try {
    // Under the startup lock, so instances starting together take turns (packages/db/src/orm.ts).
    await migrate(orm, key ? { bootstrap: (em) => ensureApiKey(em, key, 'bootstrap') } : {});
  } catch (err) {
    await orm.close();
    throw err;
  }
  return orm;
}

/** What the environment sets per provider; what is in effect adds the database (core integrations.ts). */
export function integrationEnvOf(env: ServerEnv): (id: ProviderId) => IntegrationEnv {
  return (providerId) => {
    const i = env.integrations[providerId];
    return {
      mode: i.set.mode,
      client: i.set.client,
      baseUrl: i.baseUrl,
      webhookSecret: i.webhookSecret,
    };
  };
}

/** Mock mode: the provider's prefix on the mock server and the mock's dev client there. */
export function mockIntegrationOf(env: ServerEnv): (id: ProviderId) => MockIntegration {
  return (providerId) => {
    const entry = findCatalogEntry(providerId);
    // Per-store providers keep their `{shop}` placeholder here; endpoints fill it per attempt.
    return {
      baseUrl: `${env.mockProvidersUrl}${entry?.mockBasePath ?? `/${providerId}`}`,
      ...mockDevClient(providerId),
    };
  };
}

export function createDeps(
  env: ServerEnv,
  opts: {
    keyring: Keyring;
    logger: Logger;
    clock?: Clock;
    fetch?: typeof fetch;
    /** Metrics and traces (observability/index.ts). */
    observability?: Pick<Observability, 'telemetry' | 'observeProviderCall'>;
    /** DNS for webhook hosts (tests inject one; default: the system's). */
    resolveHost?: ResolveHost;
  },
): CoreDeps {
  const observeProviderCall = opts.observability?.observeProviderCall;
  const telemetry = opts.observability?.telemetry;
  const http = new ProviderHttp({
    timeoutMs: env.providerTimeoutMs,
    nameOf: (id) => findCatalogEntry(id)?.name ?? id,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(observeProviderCall ? { observe: observeProviderCall } : {}),
  });
  return {
    keyring: opts.keyring,
    clock: opts.clock ?? systemClock,
    http,
    integrationEnv: integrationEnvOf(env),
    mockIntegration: mockIntegrationOf(env),
    settings: {
      publicUrl: env.publicUrl,
      webUrl: env.webUrl,
      sessionTtlSeconds: 8 * 3600,
      attemptTtlSeconds: 10 * 60,
      connectTokenDefaultTtlSeconds: 30 * 60,
      allowInsecureRedirects: env.nodeEnv !== 'production',
      allowPrivateWebhookNetworks: env.webhookAllowPrivateNetworks,
      retention: env.retention,
      accessTokenTtlSeconds: env.accessTokenTtlSeconds,
    },
    logger: opts.logger,
    modes: createAuthModes({ telegramGateway: telegramGateway(env, http) }),
    refreshes: new Map(),
    ...(telemetry ? { telemetry } : {}),
    ...(opts.resolveHost ? { resolveHost: opts.resolveHost } : {}),
  };
}

/**
 * gramjs (binary MTProto) with real app credentials, loaded on its first call; the mock's HTTP
 * emulation otherwise.
 */
export function telegramGateway(env: ServerEnv, http: ProviderHttp): TelegramGateway {
  const { mode, apiId, apiHash } = env.telegram;
  return mode === 'live'
    ? new LiveTelegramGateway({ apiId, apiHash })
    : new HttpTelegramGateway({
        baseUrl: `${env.mockProvidersUrl}/telegram`,
        apiId,
        apiHash,
        http,
      });
}

/**
 * The line printed when the server (or a script) cannot start: configuration errors whole, and
 * database errors without the SQL and values their messages embed (errorSummary).
 */
export function startupFailureMessage(err: unknown): string {
  const { name, message } = errorSummary(err, { maxLength: 4000 });
  return message || name;
}
