/**
 * One HTTP server under load, in its own process so its CPU and RSS are its own (the load
 * generator runs in the parent, apps/server/src/bench/load.ts). Started with `node --import tsx
 * target.ts <kind> <json>`; answers `{ type: 'ready', port }` over IPC and closes on 'close'.
 *
 * - `plugboard`: the real server (createServer, the same wiring as `pnpm start`) on the given
 *   environment.
 * - `raw`: the baseline of issue 13 — node:http + the database driver Plugboard uses (sqlite3 or
 *   pg), a SHA-256 API-key lookup, one row select and an AES-256-GCM open, nothing else.
 */
// Only the crypto module (node:crypto alone) and the drivers statically, so the raw process's
// RSS is the baseline's own; Plugboard's modules load in startPlugboard.
import { open as openSealed, aadFor, parseKeyring, sha256Hex } from '@plugboard/core/crypto';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import pg from 'pg';
import sqlite3 from 'sqlite3';

export interface TargetConfig {
  env: Record<string, string>;
  /** For `raw`: the SQLite file or the PostgreSQL URL the server reads. */
  sqlitePath?: string;
  postgresUrl?: string;
}

const [kind, json] = process.argv.slice(2) as ['plugboard' | 'raw', string];
const config = JSON.parse(json) as TargetConfig;

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown> | undefined>;

function rawQuery(): { query: Query; close(): Promise<void> } {
  if (config.postgresUrl) {
    const pool = new pg.Pool({ connectionString: config.postgresUrl, max: 10 });
    return {
      query: async (sql, params) => {
        let i = 0;
        const text = sql.replace(/\?/g, () => `$${++i}`);
        return (await pool.query(text, params)).rows[0] as Record<string, unknown> | undefined;
      },
      close: () => pool.end(),
    };
  }
  const db = new sqlite3.Database(config.sqlitePath!);
  return {
    query: (sql, params) =>
      new Promise((resolve, reject) =>
        db.get(sql, params, (err, row) =>
          err ? reject(err) : resolve(row as Record<string, unknown>),
        ),
      ),
    close: () => new Promise((r) => db.close(() => r())),
  };
}

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += String(chunk);
  return s;
}

async function startRaw(): Promise<{ port: number; close(): Promise<void> }> {
  const keyring = parseKeyring(config.env.PLUGBOARD_ENCRYPTION_KEYS!);
  const db = rawQuery();
  const server = createHttpServer((req, res) => {
    void (async () => {
      const auth = req.headers.authorization ?? '';
      const { connectionId } = JSON.parse(await body(req)) as { connectionId: string };
      const key = await db.query('select id, scopes, revoked_at from api_keys where key_hash = ?', [
        sha256Hex(auth.slice(7)),
      ]);
      if (!key || key.revoked_at) return res.writeHead(401).end();
      const row = await db.query(
        'select id, provider_id, status, credentials_enc from connections where id = ?',
        [connectionId],
      );
      if (!row) return res.writeHead(404).end();
      const plain = openSealed(
        keyring,
        String(row.credentials_enc),
        aadFor('connections', 'credentials', connectionId),
      );
      const out = JSON.stringify({ result: { data: JSON.parse(plain) as unknown } });
      res.writeHead(200, { 'content-type': 'application/json' }).end(out);
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await db.close();
    },
  };
}

async function startPlugboard(): Promise<{ port: number; close(): Promise<void> }> {
  const [{ createServer }, { loadEnv }, { openDatabase }] = await Promise.all([
    import('../app'),
    import('../env'),
    import('../runtime'),
  ]);
  const env = loadEnv(config.env);
  const orm = await openDatabase(env);
  const { app } = await createServer({ env, orm, keyring: parseKeyring(env.encryptionKeys!) });
  await app.listen({ host: '127.0.0.1', port: env.port });
  return {
    port: env.port,
    close: async () => {
      await app.close();
      await orm.close();
    },
  };
}

const target = kind === 'raw' ? await startRaw() : await startPlugboard();
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'close') void target.close().then(() => process.exit(0));
});
// The load process ended without closing this one (a bench runner that timed out its teardown):
// nothing can reach this server any more, so it does not outlive its parent.
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready', port: target.port });
