import { createExampleHost } from './app';
import { ensureDevClient } from './dev-client';
import { loadEnv } from './env';

/** `pnpm start` runs this beside Plugboard (scripts/start.ts); alone: `pnpm --filter @plugboard/example-host start`. */
async function main() {
  const env = loadEnv();
  let client = env.client;
  if (!client) {
    const dev = await ensureDevClient({ plugboardUrl: env.plugboardUrl, dataDir: env.dataDir });
    client = dev.client;
    if (dev.created) {
      process.stdout.write(
        `  Created the example host's API client ${client.clientId} (kept in ${env.dataDir})\n`,
      );
    }
  }
  const host = createExampleHost({
    publicUrl: env.publicUrl,
    plugboardUrl: env.plugboardUrl,
    client,
    notionApiUrl: env.notionApiUrl,
  });
  await host.listen(env.port, env.host);
  process.stdout.write(
    `\n  Example host app is running: open ${env.publicUrl} and click Connect Notion\n\n`,
  );
  const stop = () => void host.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Example host failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
