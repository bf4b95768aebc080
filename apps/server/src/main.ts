import { ensureApiKey, newId } from '@plugboard/core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from './app';
import { loadEnv } from './env';
import { loadKeyring, openDatabase, startupFailureMessage } from './runtime';

/** The composition root: environment → database → server. */
async function main() {
  const env = loadEnv();
  const webDistDir =
    env.webDistDir ?? resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));
  const keyring = loadKeyring(env);
  const orm = await openDatabase(env);
  const { app } = await createServer({ env: { ...env, webDistDir }, orm, keyring });

  let devKeyFile: string | null = null;
  if (env.nodeEnv !== 'production' && !env.bootstrapApiKey) {
    // A development API key for scripts, kept beside the database (never printed).
    devKeyFile = join(env.dataDir, 'dev-api-key');
    mkdirSync(env.dataDir, { recursive: true });
    if (!existsSync(devKeyFile)) writeFileSync(devKeyFile, `${newId('pk_')}\n`, { mode: 0o600 });
    await ensureApiKey(orm.em.fork(), readFileSync(devKeyFile, 'utf8').trim(), 'development');
  }

  await app.listen({ host: env.host, port: env.port });
  const mockProviders = Object.values(env.integrations).some((i) => i.mode === 'mock');
  const lines = [
    '',
    `  Plugboard is running: open ${env.webUrl}`,
    `  Database: ${env.databaseUrl?.startsWith('postgres') ? 'PostgreSQL' : join(env.dataDir, 'plugboard.db')}`,
    mockProviders ? `  Providers without credentials use the mock at ${env.mockProvidersUrl}` : '',
    devKeyFile ? `  Server API key for scripts: in ${devKeyFile}` : '',
    existsSync(webDistDir)
      ? ''
      : `  (Connect UI not built: run pnpm --filter @plugboard/web build)`,
    '',
  ].filter((l, i, all) => l !== '' || i === 0 || i === all.length - 1);
  process.stdout.write(`${lines.join('\n')}\n`);

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await orm.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Plugboard failed to start: ${startupFailureMessage(err)}\n`);
  process.exit(1);
});
