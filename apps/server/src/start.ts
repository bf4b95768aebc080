import { ensureApiKey, newId } from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { createServer } from './app';
import { WEB_DIST_DIR } from './paths';
import type { ServerEnv } from './env';
import { registerMockRedirectUris, type MockClientsResult } from './mock-clients';
import { loadKeyring, openDatabase } from './runtime';

export interface StartedPlugboard {
  app: FastifyInstance;
  orm: Orm;
  webDistDir: string;
  /** Where the development API key is kept, or null (production, or a bootstrap key is set). */
  devKeyFile: string | null;
  /** Settles once the mock providers know this server's redirect URIs (or gave up; never rejects). */
  mockClients: Promise<MockClientsResult>;
  close(): Promise<void>;
}

/**
 * Starts Plugboard the way `pnpm start` does: environment → database → server, listening on
 * `env.host:env.port`, then (in the background, so a mock started later still works) makes
 * this server's redirect URIs valid at the mock providers for providers in mock mode.
 */
export async function startPlugboard(
  env: ServerEnv,
  opts: { logStream?: Writable; mockRetryDelaysMs?: readonly number[] } = {},
): Promise<StartedPlugboard> {
  const webDistDir = env.webDistDir ?? WEB_DIST_DIR;
  const keyring = loadKeyring(env);
  const orm = await openDatabase(env);
  const { app } = await createServer({
    env: { ...env, webDistDir },
    orm,
    keyring,
    ...(opts.logStream ? { logStream: opts.logStream } : {}),
  });

  let devKeyFile: string | null = null;
  if (env.nodeEnv !== 'production' && !env.bootstrapApiKey) {
    // A development API key for scripts, kept beside the database (never printed).
    devKeyFile = join(env.dataDir, 'dev-api-key');
    mkdirSync(env.dataDir, { recursive: true });
    if (!existsSync(devKeyFile)) writeFileSync(devKeyFile, `${newId('pk_')}\n`, { mode: 0o600 });
    await ensureApiKey(orm.em.fork(), readFileSync(devKeyFile, 'utf8').trim(), 'development');
  }

  await app.listen({ host: env.host, port: env.port });
  const stop = new AbortController();
  const mockClients = registerMockRedirectUris({
    env,
    log: app.log,
    signal: stop.signal,
    ...(opts.mockRetryDelaysMs ? { retryDelaysMs: opts.mockRetryDelaysMs } : {}),
  }).catch((error: unknown): MockClientsResult => {
    app.log.warn({ err: error }, 'registering redirect URIs at the mock providers failed');
    return { status: 'unreachable', attempts: 0 };
  });

  return {
    app,
    orm,
    webDistDir,
    devKeyFile,
    mockClients,
    async close() {
      stop.abort();
      await mockClients;
      await app.close();
      await orm.close();
    },
  };
}
