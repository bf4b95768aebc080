import { PlugboardError } from '@plugboard/contracts';
import { WebhookDelivery } from '@plugboard/db';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../testing';
import {
  assertWebhookUrlAllowed,
  blockedRange,
  type EgressPolicy,
  type ResolvedAddress,
} from './webhook-egress';
import { createWebhookEndpoint, deliverDueWebhooks, enqueueEvent } from './webhooks';

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

describe('blockedRange (ipaddr.js ranges)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // AWS / GCP / Azure / OCI instance metadata
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'carrierGradeNat'], // Alibaba Cloud metadata
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['168.63.129.16', 'metadata'], // Azure platform endpoint
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'], // AWS IPv6 metadata
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'], // IPv4-mapped: judged as the IPv4 address
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['not an address', 'invalid'],
  ])('%s is refused (%s)', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(blockedRange(address)).toBeNull(),
  );
});

describe('assertWebhookUrlAllowed', () => {
  const policy = (answers: Record<string, ResolvedAddress[]>): EgressPolicy => ({
    allowPrivateNetworks: false,
    resolveHost: async (host) => answers[host] ?? [],
  });
  const refusal = async (url: string, p: EgressPolicy) => {
    const err = await assertWebhookUrlAllowed(url, p).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlugboardError);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', field: 'url' });
    return (err as PlugboardError).message;
  };

  it.each([
    // IPv4 literals in every form the URL parser accepts: it normalises them to 127.0.0.1.
    'http://127.0.0.1/hooks',
    'http://2130706433/hooks',
    'http://0177.0.0.1/hooks',
    'http://0x7f.0.0.1/hooks',
    'http://0x7f000001/hooks',
    'http://127.1/hooks',
    'https://169.254.169.254/latest/meta-data/',
    'http://[::1]/hooks',
    'http://[::ffff:127.0.0.1]/hooks',
    'http://[::ffff:a9fe:a9fe]/hooks',
    'http://[fd00:ec2::254]/hooks',
    'http://0.0.0.0/hooks',
  ])('refuses the literal %s without asking DNS', async (url) => {
    let asked = false;
    const p: EgressPolicy = {
      allowPrivateNetworks: false,
      resolveHost: async () => {
        asked = true;
        return [v4('93.184.215.14')];
      },
    };
    expect(await refusal(url, p)).toMatch(/address that webhooks may not reach/);
    expect(asked).toBe(false);
  });

  it('refuses a name that resolves to a private address, naming host, address and range', async () => {
    const message = await refusal(
      'https://hooks.example.com/plugboard',
      policy({ 'hooks.example.com': [v4('10.0.0.7')] }),
    );
    expect(message).toContain('hooks.example.com resolves to 10.0.0.7, a private address');
    expect(message).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS');
  });

  it('refuses a name if any of its addresses is not public (IPv6 too)', async () => {
    await refusal(
      'https://mixed.example.com/h',
      policy({ 'mixed.example.com': [v4('93.184.215.14'), v6('::ffff:192.168.0.1')] }),
    );
    await refusal('https://v6.example.com/h', policy({ 'v6.example.com': [v6('fe80::1')] }));
  });

  it('refuses a name that does not resolve', async () => {
    expect(await refusal('https://nowhere.example.com/h', policy({}))).toMatch(
      /could not be resolved/,
    );
  });

  it('accepts a public name and public literals', async () => {
    const p = policy({ 'hooks.example.com': [v4('93.184.215.14'), v6('2606:4700::6810:84e5')] });
    await expect(assertWebhookUrlAllowed('https://hooks.example.com/h', p)).resolves.toBe(
      undefined,
    );
    await expect(assertWebhookUrlAllowed('https://8.8.8.8/h', p)).resolves.toBe(undefined);
  });

  it('allows everything when private networks are allowed', async () => {
    await expect(
      assertWebhookUrlAllowed('http://127.0.0.1:9/h', {
        allowPrivateNetworks: true,
        resolveHost: async () => [],
      }),
    ).resolves.toBe(undefined);
  });
});

/**
 * Delivery goes through the pinned lookup: the injected resolver's answer at connection time
 * is what is checked and what the socket connects to (the test host name exists nowhere else).
 */
describe('webhook delivery egress', () => {
  let receiver: Server;
  let port = 0;
  const received: string[] = [];
  let t: TestDeps | undefined;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      req.resume();
      if (req.url === '/redirect') res.writeHead(307, { location: '/hooks' }).end();
      else res.writeHead(204).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise((r) => receiver.close(r)));
  afterEach(async () => {
    received.length = 0;
    await t?.close();
    t = undefined;
  });

  const event = {
    connectionId: 'conn_1',
    providerId: 'notion',
    externalUserId: 'user-1',
    accountId: 'acct-1',
    label: 'Acme',
    status: 'active',
  };
  async function enqueueOne(deps: TestDeps) {
    const em = deps.em();
    await enqueueEvent(em, deps.deps, 'connection.created', event);
    await em.flush();
  }
  const onlyDelivery = async (deps: TestDeps) => (await deps.em().find(WebhookDelivery, {}))[0]!;

  it('a name that passed at registration but resolves to loopback at delivery (DNS rebinding) is not sent to', async () => {
    let answer = v4('93.184.215.14');
    t = await createTestDeps({
      allowPrivateWebhookNetworks: false,
      resolveHost: async (host) => (host === 'hooks.rebind.test' ? [answer] : []),
    });
    await createWebhookEndpoint(t.em(), t.deps, { url: `http://hooks.rebind.test:${port}/hooks` });
    answer = v4('127.0.0.1'); // the attacker's DNS now points the name at the instance itself
    await enqueueOne(t);
    expect(await deliverDueWebhooks(t.em(), t.deps)).toBe(1);
    expect(received).toEqual([]);
    expect(await onlyDelivery(t)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'address refused',
    });
  });

  it('connects to the address the resolver gave (pinned), when private networks are allowed', async () => {
    t = await createTestDeps({
      allowPrivateWebhookNetworks: true,
      resolveHost: async (host) => (host === 'hooks.pinned.test' ? [v4('127.0.0.1')] : []),
    });
    await createWebhookEndpoint(t.em(), t.deps, { url: `http://hooks.pinned.test:${port}/hooks` });
    await enqueueOne(t);
    expect(await deliverDueWebhooks(t.em(), t.deps)).toBe(1);
    expect(received).toHaveLength(1);
    expect(await onlyDelivery(t)).toMatchObject({ status: 'delivered', lastStatus: 204 });
  });

  it('does not follow a redirect: a 307 is a failed attempt', async () => {
    t = await createTestDeps();
    await createWebhookEndpoint(t.em(), t.deps, { url: `http://127.0.0.1:${port}/redirect` });
    await enqueueOne(t);
    expect(await deliverDueWebhooks(t.em(), t.deps)).toBe(1);
    expect(received).toHaveLength(1);
    expect(await onlyDelivery(t)).toMatchObject({
      status: 'pending',
      lastStatus: 307,
      lastError: 'HTTP 307',
    });
  });

  it('refuses an endpoint literal at delivery too (one stored before the rule, or by another version)', async () => {
    t = await createTestDeps({ allowPrivateWebhookNetworks: false });
    // Registered while allowed, then the policy tightened (as after an upgrade).
    t.deps.settings.allowPrivateWebhookNetworks = true;
    await createWebhookEndpoint(t.em(), t.deps, { url: `http://127.0.0.1:${port}/hooks` });
    t.deps.settings.allowPrivateWebhookNetworks = false;
    await enqueueOne(t);
    expect(await deliverDueWebhooks(t.em(), t.deps)).toBe(1);
    expect(received).toEqual([]);
    expect(await onlyDelivery(t)).toMatchObject({ lastError: 'address refused' });
  });
});
