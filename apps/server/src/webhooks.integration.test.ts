import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import {
  deliverDueWebhooks,
  enqueueEvent,
  ManualClock,
  newId,
  openCredentials,
} from '@plugboard/core';
import { Connection, WebhookDelivery } from '@plugboard/db';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

interface Received {
  headers: Record<string, string>;
  body: string;
  event: { type: string; timestamp: string; data: Record<string, string> };
}

/** A host app's webhook receiver: records what arrives and answers with queued statuses. */
async function startReceiver(opts: { beforeAnswer?: () => Promise<void> } = {}) {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
      );
      received.push({ headers, body, event: JSON.parse(body) as Received['event'] });
      void (opts.beforeAnswer?.() ?? Promise.resolve()).then(() =>
        res.writeHead(statuses.shift() ?? 204).end(),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hooks/plugboard`;
  return {
    url,
    received,
    statuses,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('webhooks on %s', (_db, database) => {
  const apiKey = newId('pk_');
  const clock = new ManualClock();
  let stack: TestStack;
  let plugboard: PlugboardClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret = '';

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      clock,
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, WEBHOOK_POLL_MS: '0' },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    receiver = await startReceiver();
    secret = (await plugboard.webhooks.create.mutate({ url: receiver.url })).secret;
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  const deliver = () => deliverDueWebhooks(stack.orm.em.fork(), stack.server.deps);
  const browser = async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    return agent;
  };
  const connectNotion = async (agent: BrowserAgent) =>
    (await agent.connect(stack.url, 'notion')).connection!.id;

  it('sends a signed connection.created with no credentials in it', async () => {
    const endpoints = await plugboard.webhooks.list.query();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).not.toHaveProperty('secret');
    expect(secret).toMatch(/^whsec_/);

    const connectionId = await connectNotion(await browser());
    expect(await deliver()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [msg] = receiver.received;
    // Verified the way a receiver would, with the Standard Webhooks library and the secret.
    expect(new Webhook(secret).verify(msg!.body, msg!.headers)).toEqual(msg!.event);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        msg!.body,
        msg!.headers,
      ),
    ).toThrow();
    expect(msg!.headers['webhook-id']).toMatch(/^msg_/);
    expect(msg!.event).toMatchObject({
      type: 'connection.created',
      data: {
        connectionId,
        providerId: 'notion',
        externalUserId: 'demo-user',
        status: 'active',
        label: 'Acme Workspace (ada@acme.example)',
      },
    });
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: connectionId });
    const tokens = openCredentials(stack.server.deps.keyring, row.id, row.credentialsEnc);
    expect(msg!.body).not.toContain(tokens.accessToken);
    expect(msg!.body).not.toContain(tokens.refreshToken!);
    expect(await deliver()).toBe(0);
  });

  it('retries a failed delivery on schedule with the same webhook-id', async () => {
    receiver.statuses.push(500);
    await connectNotion(await browser()); // same account again: connection.updated
    expect(await deliver()).toBe(1);
    const [failed] = await plugboard.webhooks.deliveries.query({ status: 'pending' });
    expect(failed).toMatchObject({
      eventType: 'connection.updated',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500',
    });
    expect(await deliver()).toBe(0); // not due yet
    clock.advance(5);
    expect(await deliver()).toBe(1);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([
      failed!.messageId,
      failed!.messageId,
    ]);
    const delivered = (
      await plugboard.webhooks.deliveries.query({ endpointId: failed!.endpointId })
    ).find((d) => d.id === failed!.id);
    expect(delivered).toMatchObject({ id: failed!.id, status: 'delivered', attempts: 2 });
  });

  it('honours event filters, and reports deletions and failed refreshes', async () => {
    const onlyDeleted = await startReceiver();
    const filtered = await plugboard.webhooks.create.mutate({
      url: onlyDeleted.url,
      events: ['connection.deleted'],
    });
    try {
      const agent = await browser();
      const connectionId = await connectNotion(agent);
      await fetch(`${stack.mockUrl}/__control/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'notion', endpoint: 'token', kind: 'invalid_grant' }),
      });
      await expect(
        plugboard.connections.credentials.mutate({ connectionId, forceRefresh: true }),
      ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'CONNECTION_NEEDS_REAUTH');
      await agent.trpc(stack.url).connect.connections.disconnect.mutate({ connectionId });
      await deliver();
      expect(receiver.received.map((r) => r.event.type)).toEqual([
        'connection.updated',
        'connection.refresh_failed',
        'connection.deleted',
      ]);
      expect(onlyDeleted.received.map((r) => r.event.type)).toEqual(['connection.deleted']);
      expect(onlyDeleted.received[0]!.event.data).toMatchObject({
        connectionId,
        status: 'deleted',
      });
    } finally {
      await plugboard.webhooks.delete.mutate({ id: filtered.id });
      await onlyDeleted.close();
    }
  });

  it('two instances draining one outbox deliver each message once', async () => {
    // The same clock, as two instances share real time: this stack's clock stands still, and
    // a second one on the system clock would see its leases as long expired.
    const second = await startTestStack({
      joining: stack,
      clock,
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, WEBHOOK_POLL_MS: '0' },
    });
    try {
      const agent = await browser();
      for (let i = 0; i < 4; i++) await connectNotion(agent);
      await Promise.all([
        deliver(),
        deliverDueWebhooks(second.orm.em.fork(), second.server.deps),
        deliver(),
      ]);
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
    } finally {
      await second.close();
    }
  });

  it('two instances draining one outbox through a slow receiver send each message once', async () => {
    // Both instances share a clock that the receiver moves 4 s per request: 30 messages take
    // 2 minutes of it, so a lease stamped once per batch (60 s) would run out mid-batch.
    const slowClock = new ManualClock();
    const db = await database();
    const env = { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, WEBHOOK_POLL_MS: '0' };
    const a = await startTestStack({ clock: slowClock, env, ...(db ? { database: db } : {}) });
    const b = await startTestStack({ joining: a, clock: slowClock, env });
    const slow = await startReceiver({
      beforeAnswer: async () => {
        slowClock.advance(4);
        await new Promise((r) => setTimeout(r, 30));
      },
    });
    try {
      const endpoint = await createPlugboardClient({ url: a.url, apiKey }).webhooks.create.mutate({
        url: slow.url,
      });
      const em = a.orm.em.fork();
      for (let i = 0; i < 30; i++) {
        await enqueueEvent(em, a.server.deps, 'connection.updated', {
          connectionId: `conn_${i}`,
          providerId: 'notion',
          externalUserId: 'u',
          accountId: `acct_${i}`,
          label: 'l',
          status: 'active',
        });
      }
      await em.flush();

      // Each instance polls, as the server's loop does, until the outbox is empty: A drains
      // batches of 20 (the default) back to back; B looks for one message every 50 ms — each time
      // while A is in the middle of a send, when a lease that ran out early would let B take the
      // message A is still sending.
      let done = false;
      const pending = () =>
        a.orm.em.fork().count(WebhookDelivery, { endpointId: endpoint.id, status: 'pending' });
      const poll = async (s: TestStack, batch: number, pauseMs: number) => {
        let attempted = 0;
        while (!done) {
          attempted += await deliverDueWebhooks(s.orm.em.fork(), s.server.deps, batch);
          await new Promise((r) => setTimeout(r, pauseMs));
        }
        return attempted;
      };
      const watch = async () => {
        const deadline = Date.now() + 30_000;
        while ((await pending()) > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
        }
        done = true;
      };
      const [, byA, byB] = await Promise.all([watch(), poll(a, 20, 2), poll(b, 1, 50)]);

      const ids = slow.received.map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect(byA + byB).toBe(30);
      const rows = await a.orm.em.fork().find(WebhookDelivery, { endpointId: endpoint.id });
      expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map(() => ['delivered', 1]));
    } finally {
      await slow.close();
      await b.close();
      await a.close();
    }
  }, 60_000);

  it('validates endpoints and removes them', async () => {
    await expect(plugboard.webhooks.create.mutate({ url: 'ftp://x.example/' })).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'VALIDATION_FAILED',
    );
    await expect(
      plugboard.webhooks.create.mutate({
        url: receiver.url,
        events: ['connection.exploded' as 'connection.created'],
      }),
    ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'VALIDATION_FAILED');
    await expect(plugboard.webhooks.delete.mutate({ id: newId('whe_') })).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'NOT_FOUND',
    );
  });
});
