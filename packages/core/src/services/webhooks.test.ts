import { WebhookDelivery } from '@plugboard/db';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../testing';
import { createWebhookEndpoint, deliverDueWebhooks, enqueueEvent } from './webhooks';

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
