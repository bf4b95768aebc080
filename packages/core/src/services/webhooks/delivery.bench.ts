import { WebhookDelivery } from '@plugboard/db';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, bench, describe } from 'vitest';
import { coalesced, createTestDeps, type TestDeps } from '../../testing';
import { deliverDueWebhooks, WebhookDispatcher } from './delivery';
import { createWebhookEndpoint, deleteWebhookEndpoint } from './endpoints';
import { enqueueEvent } from './outbox';

/**
 * Webhook delivery on a SQLite file to local receivers over loopback HTTP, side by side in one
 * run: the dispatcher the server runs (a bounded pool, per-endpoint limits) against one attempt
 * at a time (how delivery worked before: `deliverDueWebhooks` over one endpoint). Reports backlog
 * drain throughput to a fast receiver and how much a never-answering endpoint beside it adds to
 * the fast one's lag. Figures measured before the dispatcher (issue 13): 21/s; +10.9 s.
 */
const t: TestDeps = await createTestDeps();
const servers: Server[] = [];

async function receiver(answer: boolean): Promise<{ url: string; count: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      if (answer) res.writeHead(204).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    count: () => n,
  };
}

async function enqueue(n: number): Promise<void> {
  const em = t.em();
  for (let i = 0; i < n; i++) {
    await enqueueEvent(em, t.deps, 'connection.updated', {
      connectionId: `conn_${i}`,
      providerId: 'notion',
      externalUserId: 'u',
      accountId: `a${i}`,
      label: 'bench',
      status: 'active',
    });
  }
  await em.flush();
}

/** Runs a dispatcher the way the server's loop does until `done()`; returns seconds taken. */
async function runDispatcher(done: () => boolean): Promise<number> {
  const wake = coalesced(() => d.dispatch());
  const d: WebhookDispatcher = new WebhookDispatcher(
    () => t.em(),
    t.deps,
    { closeGraceMs: 0 },
    wake,
  );
  const started = performance.now();
  wake();
  while (!done()) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - started) / 1000;
  await d.close();
  return seconds;
}

const reset = () => t.em().nativeDelete(WebhookDelivery, {});

// 1. Backlog drain to one fast receiver.
const fast = await receiver(true);
const fastEndpoint = await createWebhookEndpoint(t.em(), t.deps, { url: fast.url });
const BACKLOG = 1000;
await enqueue(BACKLOG);
let base = fast.count();
const drainSeconds = await runDispatcher(() => fast.count() - base >= BACKLOG);
const drainRate = BACKLOG / drainSeconds;

// The same drain with SQLite's rollback journal and synchronous=FULL (its defaults: every commit
// an fsync) instead of WAL + NORMAL (packages/db/src/orm.ts): what the WAL decision buys.
await reset();
const conn = t.em().getConnection();
await conn.execute('pragma journal_mode = delete', [], 'get');
await conn.execute('pragma synchronous = full', [], 'run');
await enqueue(BACKLOG);
base = fast.count();
const journalRate = BACKLOG / (await runDispatcher(() => fast.count() - base >= BACKLOG));
await conn.execute('pragma journal_mode = wal', [], 'get');
await conn.execute('pragma synchronous = normal', [], 'run');

await reset();
const SERIAL = 100;
await enqueue(SERIAL);
base = fast.count();
const serialStart = performance.now();
while (fast.count() - base < SERIAL) await deliverDueWebhooks(t.em(), t.deps, 20);
const serialRate = SERIAL / ((performance.now() - serialStart) / 1000);

// 2. The fast endpoint's lag for 20 new events, alone and with a never-answering one beside it.
await reset();
const EVENTS = 20;
await enqueue(EVENTS);
base = fast.count();
const aloneLag = await runDispatcher(() => fast.count() - base >= EVENTS);
await reset();
const dead = await receiver(false);
const deadEndpoint = await createWebhookEndpoint(t.em(), t.deps, { url: dead.url });
await enqueue(EVENTS);
base = fast.count();
const besideDeadLag = await runDispatcher(() => fast.count() - base >= EVENTS);

await deleteWebhookEndpoint(t.em(), deadEndpoint.id);

const line = (s: string) => process.stdout.write(`${s}\n`);
line('');
line('webhook delivery (SQLite file, loopback receivers)');
line(
  `  backlog drain: dispatcher ${drainRate.toFixed(0)}/s vs one at a time ${serialRate.toFixed(0)}/s ` +
    `(×${(drainRate / serialRate).toFixed(1)}; goal ≥ 500/s; before: 21/s)`,
);
line(
  `  same drain with the rollback journal + synchronous=FULL (fsync per commit): ${journalRate.toFixed(0)}/s ` +
    `(WAL + NORMAL ×${(drainRate / journalRate).toFixed(1)})`,
);
line(
  `  fast endpoint's lag for ${EVENTS} events: alone ${aloneLag.toFixed(2)} s, beside a dead one ` +
    `${besideDeadLag.toFixed(2)} s (+${Math.max(0, besideDeadLag - aloneLag).toFixed(2)} s; goal ≈ 0; ` +
    `before: +10.9 s)`,
);

describe('webhook delivery', () => {
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    await t.close();
  });

  bench(
    `drain 200 deliveries to a fast receiver (endpoint ${fastEndpoint.id.slice(0, 8)}…)`,
    async () => {
      await enqueue(200);
      const before = fast.count();
      await runDispatcher(() => fast.count() - before >= 200);
    },
    { iterations: 3, time: 0, warmupIterations: 0 },
  );
});
