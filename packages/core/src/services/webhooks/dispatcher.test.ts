import { WebhookDelivery } from '@plugboard/db';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coalesced, createTestDeps, type TestDeps } from '../../testing';
import { createWebhookEndpoint } from './endpoints';
import { WebhookDispatcher } from './delivery';
import { enqueueEvent } from './outbox';

interface Receiver {
  url: string;
  /** webhook-id of every request that arrived, in arrival order. */
  received: string[];
  /** Connection id of every request that arrived, in arrival order. */
  connections: string[];
  /** The event's label (`event N`, N in the order they were written), in arrival order. */
  labels: string[];
  /** Requests that arrived and have not been answered yet. */
  open: number;
  maxOpen: number;
  close(): Promise<void>;
}

/** A host's receiver; `answer` decides what each request gets (or leaves it hanging). */
async function startReceiver(
  answer: (res: ServerResponse, req: IncomingMessage) => void,
): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    received: [],
    connections: [],
    labels: [],
    open: 0,
    maxOpen: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      r.received.push(String(req.headers['webhook-id']));
      const { data } = JSON.parse(body) as { data: { connectionId: string; label: string } };
      r.connections.push(data.connectionId);
      r.labels.push(data.label);
      r.open += 1;
      r.maxOpen = Math.max(r.maxOpen, r.open);
      res.on('close', () => (r.open -= 1));
      answer(res, req);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  r.close = async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  };
  return r;
}

/** Polls until `done()` holds or `ms` pass; returns whether it held. A bound, not a benchmark. */
async function within(ms: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return done();
}

describe('WebhookDispatcher', () => {
  let t: TestDeps;
  const receivers: Receiver[] = [];
  const dispatchers: WebhookDispatcher[] = [];

  beforeEach(async () => {
    t = await createTestDeps();
  });
  afterEach(async () => {
    for (const d of dispatchers.splice(0)) await d.close();
    for (const r of receivers.splice(0)) await r.close();
    await t.close();
  });

  async function receiver(answer: (res: ServerResponse, req: IncomingMessage) => void) {
    const r = await startReceiver(answer);
    receivers.push(r);
    const endpoint = await createWebhookEndpoint(t.em(), t.deps, { url: r.url });
    return { ...r, endpointId: endpoint.id, get: () => r };
  }

  /** `count` events, for `connections` distinct connections in turn (one row per endpoint each). */
  async function enqueue(count: number, connections = count) {
    const em = t.em();
    for (let i = 0; i < count; i++) {
      await enqueueEvent(em, t.deps, 'connection.updated', {
        connectionId: `conn_${i % connections}`,
        providerId: 'notion',
        externalUserId: 'user-1',
        accountId: `acct-${i}`,
        label: `event ${i}`,
        status: 'active',
      });
    }
    await em.flush();
  }

  /**
   * As the server runs it: every settled attempt dispatches again (no interval needed here).
   * With `auto: false` only the test dispatches, so it can count what each call starts.
   */
  function dispatcher(opts: ConstructorParameters<typeof WebhookDispatcher>[2] = {}, auto = true) {
    // Coalesced like the server's loop: one round at a time, one more if woken meanwhile.
    const round = coalesced(() => d.dispatch());
    const wake = () => {
      if (auto) round();
    };
    const d: WebhookDispatcher = new WebhookDispatcher(
      () => t.em(),
      t.deps,
      { closeGraceMs: 0, ...opts },
      wake,
    );
    dispatchers.push(d);
    return d;
  }

  const statuses = async (endpointId: string) =>
    (await t.em().find(WebhookDelivery, { endpointId })).map((r) => [r.status, r.attempts]);

  it('a fast endpoint beside one that never answers gets all its deliveries promptly', async () => {
    const dead = await receiver(() => undefined); // takes the request, never answers
    const fast = await receiver((res) => res.writeHead(204).end());
    await enqueue(100);
    const d = dispatcher({ concurrency: 32, perEndpoint: 8 });
    await d.dispatch();

    // The dead endpoint's attempts time out after 10 s; the fast one must not wait for them (one
    // delivery at a time, as before, it would get one message per timeout).
    expect(await within(8000, () => fast.get().received.length === 100)).toBe(true);
    expect(new Set(fast.get().received).size).toBe(100);
    // The dead one holds no more than its share of the pool.
    expect(dead.get().maxOpen).toBeLessThanOrEqual(8);
    expect(
      await within(3000, async () =>
        (await statuses(fast.endpointId)).every(([s, n]) => s === 'delivered' && n === 1),
      ),
    ).toBe(true);

    // Shutting down gives the dead endpoint's claims back without counting an attempt.
    await d.close();
    const deadRows = await statuses(dead.endpointId);
    expect(deadRows).toHaveLength(100);
    expect(deadRows.every(([status, attempts]) => status === 'pending' && attempts === 0)).toBe(
      true,
    );
    const leased = await t.em().count(WebhookDelivery, { leaseUntil: { $ne: null } });
    expect(leased).toBe(0);
  });

  it('sends one connection’s events in order, one at a time, while other connections go side by side', async () => {
    const fast = await receiver((res) => setTimeout(() => res.writeHead(204).end(), 5));
    await enqueue(40, 4); // conn_0..conn_3, ten events each, interleaved
    const d = dispatcher({ perEndpoint: 8 });
    await d.dispatch();
    expect(await within(5000, () => fast.get().received.length === 40)).toBe(true);
    for (const c of ['conn_0', 'conn_1', 'conn_2', 'conn_3']) {
      const order = fast
        .get()
        .labels.filter((_, i) => fast.get().connections[i] === c)
        .map((l) => Number(l.slice(6)));
      expect(order).toHaveLength(10);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    // Four connections: up to four requests at once, never two of one connection.
    expect(fast.get().maxOpen).toBeGreaterThan(1);
    expect(fast.get().maxOpen).toBeLessThanOrEqual(4);
  });

  it('opens an endpoint’s breaker after repeated failures, probes it later, and closes it on success', async () => {
    let answer = 500;
    const flaky = await receiver((res) => res.writeHead(answer).end());
    await enqueue(12);
    const d = dispatcher(
      { perEndpoint: 1, breaker: { failureThreshold: 3, openMs: 30_000, maxOpenMs: 120_000 } },
      false,
    );
    const drain = async () => {
      let started = 0;
      for (let n = await d.dispatch(); n > 0; n = await d.dispatch()) {
        started += n;
        await d.idle();
      }
      return started;
    };
    expect(await drain()).toBe(3);
    expect(d.breakers.state(flaky.endpointId)).toBe('open');
    // Three consecutive failures opened it; the other nine wait, their retries unspent.
    expect(flaky.get().received).toHaveLength(3);
    expect(await d.dispatch()).toBe(0);
    t.clock.advance(29);
    expect(await d.dispatch()).toBe(0);

    // 30 s later: one probe, which fails: open again, now for twice as long.
    t.clock.advance(1);
    expect(await d.dispatch()).toBe(1);
    await d.idle();
    expect(flaky.get().received).toHaveLength(4);
    expect(d.breakers.state(flaky.endpointId)).toBe('open');
    t.clock.advance(59);
    expect(await d.dispatch()).toBe(0);

    // The endpoint is back: the next probe succeeds, the breaker closes and the backlog drains.
    answer = 204;
    t.clock.advance(1);
    expect(await d.dispatch()).toBe(1);
    await d.idle();
    expect(d.breakers.state(flaky.endpointId)).toBe('closed');
    expect(await drain()).toBe(11);
    expect((await statuses(flaky.endpointId)).every(([s]) => s === 'delivered')).toBe(true);
    expect(new Set(flaky.get().received).size).toBe(12);
  });

  it('a breaker open for one endpoint does not hold back another', async () => {
    const failing = await receiver((res) => res.writeHead(503).end());
    const healthy = await receiver((res) => res.writeHead(204).end());
    await enqueue(20);
    const d = dispatcher({
      perEndpoint: 2,
      breaker: { failureThreshold: 2, openMs: 60_000, maxOpenMs: 60_000 },
    });
    await d.dispatch();
    expect(await within(5000, () => healthy.get().received.length === 20)).toBe(true);
    await d.idle();
    expect(d.breakers.state(failing.endpointId)).toBe('open');
    expect(d.breakers.state(healthy.endpointId)).toBe('closed');
    expect(failing.get().received.length).toBeLessThanOrEqual(3);
  });
});
