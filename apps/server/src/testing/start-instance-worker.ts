/**
 * A server instance in its own process, for tests of several instances starting at once
 * (apps/server/src/concurrent-start.integration.test.ts). The parent forks a few of these once,
 * then per round sends each the same database and a moment to start at; each runs the real
 * startup (open + migrate + bootstrap, then the HTTP server), asks its own /healthz and reports.
 */
import type { DatabaseConfig } from '@plugboard/db';
import { createServer } from '../app';
import { loadEnv } from '../env';
import { loadKeyring, openDatabase, startupFailureMessage } from '../runtime';

export interface StartRequest {
  type: 'start';
  round: number;
  env: Record<string, string>;
  database: DatabaseConfig;
  /** Epoch ms: every instance waits for this moment, so they start together. */
  at: number;
}

export interface StartResult {
  type: 'result';
  round: number;
  ok: boolean;
  error: string | null;
}

async function startOnce(req: StartRequest): Promise<StartResult> {
  const env = loadEnv(req.env);
  const keyring = loadKeyring(env);
  await new Promise((r) => setTimeout(r, Math.max(0, req.at - Date.now())));
  try {
    const orm = await openDatabase(env, req.database);
    try {
      const { app } = await createServer({ env, orm, keyring });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      await app.close();
      return {
        type: 'result',
        round: req.round,
        ok: health.status === 200,
        error: health.status === 200 ? null : `healthz ${health.status}`,
      };
    } finally {
      await orm.close();
    }
  } catch (err) {
    // What main.ts would print on a failed start.
    const message = startupFailureMessage(err);
    process.stderr.write(`Plugboard failed to start: ${message}\n`);
    return { type: 'result', round: req.round, ok: false, error: message };
  }
}

process.on('message', (msg: StartRequest) => {
  if (msg.type !== 'start') return;
  void startOnce(msg).then((result) => process.send!(result));
});
process.send!({ type: 'ready' });
