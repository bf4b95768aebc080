import { generateKeySpec, newId, sha256Hex } from '@plugboard/core';
import {
  openOrm,
  postgresqlMigrations,
  sqliteMigrations,
  type DatabaseConfig,
} from '@plugboard/db';
import { createPostgresTestDatabase } from '@plugboard/db/testing';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StartRequest, StartResult } from './testing/start-instance-worker';

const INSTANCES = 4;
const ROUNDS = 10;
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const workerPath = fileURLToPath(new URL('./testing/start-instance-worker.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  output: string[];
  next(): Promise<StartResult>;
}

/** A server instance in its own process (real connections, real startup code). */
async function spawnWorker(): Promise<Worker> {
  const child = fork(workerPath, [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  const waiting: ((r: StartResult) => void)[] = [];
  let ready: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  child.on('message', (m: StartResult | { type: 'ready' }) => {
    if (m.type === 'ready') ready();
    else waiting.shift()?.(m);
  });
  await isReady;
  return { child, output, next: () => new Promise((r) => waiting.push(r)) };
}

const pgUrl = inject('postgresUrl');
const tmp = mkdtempSync(join(tmpdir(), 'plugboard-concurrent-'));
const dialects: [string, (round: number) => Promise<DatabaseConfig>][] = [
  ['sqlite', async (round) => ({ kind: 'sqlite', path: join(tmp, `round-${round}.db`) })],
];
if (pgUrl) {
  dialects.push([
    'postgresql',
    async () => ({ kind: 'postgresql', url: await createPostgresTestDatabase(pgUrl) }),
  ]);
}

// The same processes serve every round on both databases (starting one costs seconds of CPU).
const workers: Worker[] = [];
beforeAll(async () => {
  workers.push(...(await Promise.all(Array.from({ length: INSTANCES }, spawnWorker))));
}, 90_000);
afterAll(() => {
  for (const w of workers) w.child.kill();
  rmSync(tmp, { recursive: true, force: true });
});

describe.each(dialects)('%s: instances starting at the same moment', (_name, freshDatabase) => {
  const apiKey = newId('pk_');
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: tmp,
    MOCK_PROVIDERS_URL: 'http://127.0.0.1:9',
    PLUGBOARD_ENCRYPTION_KEYS: generateKeySpec('k1'),
    PLUGBOARD_BOOTSTRAP_API_KEY: apiKey,
    WEBHOOK_POLL_MS: '0',
  };

  it(`${INSTANCES} instances on an empty database all come up, ${ROUNDS} rounds`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const database = await freshDatabase(round);
      const request: StartRequest = { type: 'start', round, env, database, at: Date.now() + 300 };
      const results = await Promise.all(
        workers.map((w) => {
          const result = w.next();
          w.child.send(request);
          return result;
        }),
      );
      expect(results.map((r) => r.error)).toEqual(workers.map(() => null));
      expect(results.every((r) => r.ok)).toBe(true);

      const orm = await openOrm(database);
      try {
        const conn = orm.em.getConnection();
        const migrations = await conn.execute('select name from mikro_orm_migrations');
        const expected = database.kind === 'postgresql' ? postgresqlMigrations : sqliteMigrations;
        expect(migrations).toHaveLength(expected.length);
        const keys = await conn.execute('select name from api_keys where key_hash = ?', [
          sha256Hex(apiKey),
        ]);
        expect(keys).toEqual([{ name: 'bootstrap' }]);
      } finally {
        await orm.close();
      }
    }
    // Nothing the instances printed carries SQL or the key's hash.
    const printed = workers.flatMap((w) => w.output).join('');
    expect(printed).not.toContain(sha256Hex(apiKey));
    expect(printed.toLowerCase()).not.toMatch(/insert into|create table/);
  }, 180_000);
});
