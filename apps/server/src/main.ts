import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnv } from './env';
import { startupFailureMessage } from './runtime';
import { startPlugboard } from './start';

/** The composition root: environment → database → server (see start.ts). */
async function main() {
  const env = loadEnv();
  const plugboard = await startPlugboard(env);
  const { devKeyFile, webDistDir } = plugboard;

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
    plugboard.app.log.info({ signal }, 'shutting down');
    await plugboard.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Plugboard failed to start: ${startupFailureMessage(err)}\n`);
  process.exit(1);
});
