import { migrate, openOrm, WebhookDelivery, type Orm } from '@plugboard/db';
import { createAuthModes, HttpTelegramGateway, ProviderHttp } from '@plugboard/providers';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { generateKeySpec, parseKeyring } from '../crypto';
import type { CoreDeps } from '../deps';
import { createTestDeps, type TestDeps } from '../testing';
import {
  createWebhookEndpoint,
  deliverDueWebhooks,
  enqueueEvent,
  WEBHOOK_LEASE_MS,
  WEBHOOK_TIMEOUT_MS,
} from './webhooks';

/**
 * The claim of a pending delivery: several instances run the delivery loop over one database,
 * and each message must reach the host once. (The lease's duration is not what is tested here.)
 */
describe('webhook delivery claim', () => {
  let t: TestDeps;
  let receiver: Server;
  let receiverUrl: string;
  const received: string[] = [];

  beforeEach(async () => {
    received.length = 0;
    receiver = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      req.resume();
      // Answer slowly, so the other instance looks while this delivery is in flight.
      setTimeout(() => res.writeHead(204).end(), 150);
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    t = await createTestDeps();
  });
  afterEach(async () => {
    await t.close();
    await new Promise((r) => receiver.close(r));
  });

  async function enqueue(count: number) {
    const em = t.em();
    await createWebhookEndpoint(em, t.deps, { url: receiverUrl });
    for (let i = 0; i < count; i++) {
      await enqueueEvent(em, t.deps, 'connection.created', {
        connectionId: `conn_${i}`,
        providerId: 'notion',
        externalUserId: 'user-1',
        accountId: `acct-${i}`,
        label: 'Acme',
        status: 'active',
      });
    }
    await em.flush();
  }

  it('one of two instances claims a due delivery; the host gets it once', async () => {
    await enqueue(1);
    const other = await t.join();
    const attempted = await Promise.all([
      deliverDueWebhooks(t.em(), t.deps),
      deliverDueWebhooks(other.em(), other.deps),
    ]);
    expect(attempted.sort()).toEqual([0, 1]);
    expect(received).toHaveLength(1);
    const [row] = await t.em().find(WebhookDelivery, {});
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('three instances over many deliveries: every message sent exactly once', async () => {
    await enqueue(6);
    const instances = [t, await t.join(), await t.join()];
    const attempted = await Promise.all(instances.map((i) => deliverDueWebhooks(i.em(), i.deps)));
    expect(attempted.reduce((a, b) => a + b, 0)).toBe(6);
    expect(received).toHaveLength(6);
    expect(new Set(received).size).toBe(6);
    const rows = await t.em().find(WebhookDelivery, {});
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });
});

type Handler = (req: IncomingMessage, res: ServerResponse, messageId: string) => Promise<void>;

describe('webhook delivery leases', () => {
  let orm: Orm;
  let server: Server;
  let url = '';
  let handler: Handler;
  /** Every request the receiver got, by webhook-id, in order. */
  let received: string[] = [];
  const warnings: string[] = [];
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const http = new ProviderHttp({ timeoutMs: 1000 });
  const deps: CoreDeps = {
    keyring: parseKeyring(generateKeySpec()),
    clock,
    http,
    integrationEnv: () => {
      throw new Error('not used');
    },
    mockIntegration: () => {
      throw new Error('not used');
    },
    settings: {
      publicUrl: 'http://pb.test',
      webUrl: 'http://pb.test',
      sessionTtlSeconds: 3600,
      attemptTtlSeconds: 600,
      connectTokenDefaultTtlSeconds: 1800,
      allowInsecureRedirects: true,
      allowPrivateWebhookNetworks: true,
    },
    logger: { info() {}, warn: (_o, msg) => warnings.push(msg ?? ''), error() {} },
    modes: createAuthModes({
      telegramGateway: new HttpTelegramGateway({
        baseUrl: 'http://telegram.invalid',
        apiId: 1,
        apiHash: 'unused',
        http,
      }),
    }),
    refreshes: new Map(),
  };
  const drain = () => deliverDueWebhooks(orm.em.fork(), deps);
  const lease = async (messageId: string) =>
    (await orm.em.fork().findOneOrFail(WebhookDelivery, { messageId })).leaseUntil;

  const enqueue = async (n: number) => {
    const em = orm.em.fork();
    for (let i = 0; i < n; i++) {
      await enqueueEvent(em, deps, 'connection.updated', {
        connectionId: `conn_${i}`,
        providerId: 'notion',
        externalUserId: 'u',
        accountId: 'a',
        label: 'l',
        status: 'active',
      });
    }
    await em.flush();
  };

  beforeAll(async () => {
    orm = await openOrm({ kind: 'sqlite', path: ':memory:' });
    await migrate(orm);
    server = createServer((req, res) => {
      const messageId = String(req.headers['webhook-id']);
      received.push(messageId);
      req.resume();
      req.on('end', () => void handler(req, res, messageId));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
    await createWebhookEndpoint(orm.em.fork(), deps, { url });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await orm.close();
  });
  beforeEach(async () => {
    await orm.em.fork().nativeDelete(WebhookDelivery, {});
    received = [];
    warnings.length = 0;
  });

  it('lasts one attempt: the request timeout plus a margin, not a minute', () => {
    expect(WEBHOOK_LEASE_MS).toBe(WEBHOOK_TIMEOUT_MS + 5000);
  });

  it('stamps each claim with the time of that claim, so a slow batch never sends on an expired lease', async () => {
    await enqueue(10);
    const leftAtSend: number[] = [];
    handler = async (_req, res, messageId) => {
      leftAtSend.push((await lease(messageId))!.getTime() - clock.now().getTime());
      clock.advance(8); // a slow receiver: 8 s per request
      res.writeHead(204).end();
    };
    expect(await drain()).toBe(10);
    // Every message was sent while its own lease had the whole attempt ahead of it.
    expect(leftAtSend).toEqual(leftAtSend.map(() => WEBHOOK_LEASE_MS));
  });

  it('re-sends a message whose instance died mid-attempt once the lease is over', async () => {
    await enqueue(1);
    let answerFirst: () => void = () => undefined;
    const firstArrived = new Promise<void>((arrived) => {
      handler = async (_req, res) => {
        // The first instance's request hangs there, as if that process had died.
        answerFirst = () => res.writeHead(204).end();
        handler = async (_r, res2) => void res2.writeHead(204).end();
        arrived();
      };
    });
    const dead = drain();
    await firstArrived;

    clock.advance(14);
    expect(await drain()).toBe(0); // still leased to the first instance
    clock.advance(2);
    expect(await drain()).toBe(1); // 16 s later, not 60: sent again, with the same webhook-id
    expect(received).toHaveLength(2);
    expect(new Set(received).size).toBe(1);

    // The first attempt completes after all; it does not overwrite the second one's record.
    answerFirst();
    expect(await dead).toBe(1);
    expect(warnings).toContain(
      'webhook attempt outlasted its lease; another instance took the message over',
    );
    const row = await orm.em.fork().findOneOrFail(WebhookDelivery, { messageId: received[0]! });
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, leaseUntil: null });
  });

  it('does not claim a message another instance attempted since the batch was read', async () => {
    await enqueue(2);
    // While this instance sends the first message, another one fails the second (HTTP 500), which
    // schedules its retry in 5 s. This instance must not send it again now.
    handler = async (_req, res) => {
      handler = async (_r, res2) => void res2.writeHead(500).end();
      expect(await drain()).toBe(1);
      res.writeHead(204).end();
    };
    expect(await drain()).toBe(1);
    expect(received).toHaveLength(2);
    expect(new Set(received).size).toBe(2);
    const retry = await orm.em.fork().findOneOrFail(WebhookDelivery, { messageId: received[1]! });
    expect(retry).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
  });
});
