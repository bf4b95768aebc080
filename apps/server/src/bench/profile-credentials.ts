// Throwaway profiling driver (not committed).
import { generateKeySpec, newId, parseKeyring, sealCredentials } from '@plugboard/core';
import { Connection } from '@plugboard/db';
import { createPostgresTestDatabase } from '@plugboard/db/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, startTarget } from './load';
import { loadEnv } from '../env';
import { openDatabase } from '../runtime';
import { freePort } from '../testing';

const pgBase = process.argv[2];
const dataDir = mkdtempSync(join(tmpdir(), 'plugboard-prof-'));
const apiKey = newId('pk_');
const port = await freePort();
const url = pgBase ? await createPostgresTestDatabase(pgBase) : undefined;
const env: Record<string, string> = {
  NODE_ENV: 'test', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir,
  LOG_LEVEL: 'warn', PLUGBOARD_ENCRYPTION_KEYS: generateKeySpec('bench1'),
  PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, RATE_LIMIT_PER_API_KEY: '1000000', WEBHOOK_POLL_MS: '0',
  ...(url ? { DATABASE_URL: url } : {}),
};
const orm = await openDatabase(loadEnv(env), url ? { kind: 'postgresql', url } : { kind: 'sqlite', path: join(dataDir, 'plugboard.db') });
const id = newId('conn_');
const em = orm.em.fork();
em.create(Connection, { id, providerId: 'notion', externalUserId: 'u', accountId: 'a', label: 'l', status: 'active',
  credentialsEnc: sealCredentials(parseKeyring(env.PLUGBOARD_ENCRYPTION_KEYS!), id, { accessToken: 'ntn_x', refreshToken: null, tokenType: 'bearer', expiresAt: null, scopes: [], raw: {} }),
  metadata: {}, scopes: [], accessTokenExpiresAt: null, version: 1, refreshLeaseUntil: null, lastRefreshedAt: null });
await em.flush();
await orm.close();
const pb = await startTarget('plugboard', { env }, { execArgv: ['--cpu-prof', '--cpu-prof-dir=/tmp/scale-prof'] });
const req = () => load({ url: pb.url, path: '/trpc/server.connections.credentials', connections: 32, seconds: 10, headers: { authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ connectionId: id }) });
await req();
const r = await req();
console.log(JSON.stringify(r));
await pb.close();
