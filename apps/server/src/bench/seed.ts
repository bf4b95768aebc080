import { generateKeySpec, newId, parseKeyring, sealCredentials } from '@plugboard/core';
import { Connection, type DatabaseConfig } from '@plugboard/db';
import { loadEnv } from '../env';
import { openDatabase } from '../runtime';

/**
 * The environment of a benchmarked server on `port` with its data in `dataDir`: a bootstrap
 * `apiKey`, rate limiting in the path with a per-key budget above what the load asks, no webhook
 * polling.
 */
export function benchServerEnv(opts: {
  port: number;
  dataDir: string;
  apiKey: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(opts.port),
    PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: 'warn',
    PLUGBOARD_ENCRYPTION_KEYS: generateKeySpec('bench1'),
    PLUGBOARD_BOOTSTRAP_API_KEY: opts.apiKey,
    RATE_LIMIT_PER_API_KEY: '1000000',
    WEBHOOK_POLL_MS: '0',
  };
}

/**
 * One active Notion connection with sealed credentials, written through the server's own startup
 * (migrations included) on `database` (default: the one `env` names), for the benchmarks that
 * read credentials (credentials.bench.ts, memory.bench.ts). Returns its id.
 */
export async function seedBenchConnection(
  env: Record<string, string>,
  database?: DatabaseConfig,
): Promise<string> {
  const orm = await openDatabase(loadEnv(env), database);
  const keyring = parseKeyring(env.PLUGBOARD_ENCRYPTION_KEYS!);
  const id = newId('conn_');
  const em = orm.em.fork();
  em.create(Connection, {
    id,
    providerId: 'notion',
    externalUserId: 'bench-user',
    accountId: 'bench-account',
    label: 'Bench workspace',
    status: 'active',
    credentialsEnc: sealCredentials(keyring, id, {
      accessToken: `ntn_${'a'.repeat(40)}`,
      refreshToken: null,
      tokenType: 'bearer',
      expiresAt: null,
      scopes: [],
      raw: { workspace_id: 'ws_bench', bot_id: 'bot_bench' },
    }),
    metadata: {
      providerId: 'notion',
      workspaceId: 'ws_bench',
      workspaceName: 'Bench',
      workspaceIcon: null,
      botId: 'bot_bench',
      ownerUserId: null,
      ownerEmail: null,
      ownerName: null,
    },
    scopes: [],
    accessTokenExpiresAt: null,
    version: 1,
    refreshLeaseUntil: null,
    lastRefreshedAt: null,
  });
  await em.flush();
  await orm.close();
  return id;
}
