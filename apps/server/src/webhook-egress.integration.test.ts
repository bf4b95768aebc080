import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import { deliverDueWebhooks, newId, type ResolvedAddress } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from './testing';

/**
 * Webhook egress as production runs it (WEBHOOK_ALLOW_PRIVATE_NETWORKS=false), with DNS answered
 * by the test: private and metadata addresses are refused at registration with VALIDATION_FAILED
 * on `url`, and a name that turns private after registration is not delivered to.
 */
describe('webhook egress with private networks refused', () => {
  const apiKey = newId('pk_');
  const dns = new Map<string, ResolvedAddress[]>();
  let stack: TestStack;
  let plugboard: PlugboardClient;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        PLUGBOARD_BOOTSTRAP_API_KEY: apiKey,
        WEBHOOK_POLL_MS: '0',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
      },
      resolveHost: async (host) => dns.get(host) ?? [],
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
  });
  afterAll(async () => stack?.close());

  const refusal = async (url: string) => {
    const err = await plugboard.webhooks.create.mutate({ url }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(plugboardErrorCode(err)).toBe('VALIDATION_FAILED');
    const { data } = err as { data: { issues?: { path: string }[] } };
    expect(data.issues?.map((i) => i.path)).toEqual(['url']);
    return (err as Error).message;
  };

  it('refuses private, loopback and metadata addresses at registration, naming the url field', async () => {
    dns.set('hooks.internal.test', [{ address: '10.0.0.5', family: 4 }]);
    dns.set('metadata.internal.test', [{ address: 'fd00:ec2::254', family: 6 }]);
    expect(await refusal('http://hooks.internal.test/plugboard')).toMatch(
      /resolves to 10\.0\.0\.5, a private address/,
    );
    expect(await refusal('http://metadata.internal.test/')).toMatch(/uniqueLocal/);
    expect(await refusal('http://169.254.169.254/latest/meta-data/')).toMatch(/linkLocal/);
    expect(await refusal('http://2130706433:9/hooks')).toMatch(/127\.0\.0\.1, a loopback/);
    expect(await refusal('http://[::ffff:127.0.0.1]:9/hooks')).toMatch(/loopback/);
    expect(await refusal('http://unknown.internal.test/')).toMatch(/could not be resolved/);
    expect(await plugboard.webhooks.list.query()).toEqual([]);
  });

  it('refuses a port that HTTP clients refuse to connect to (a Fetch "bad port") at registration', async () => {
    dns.set('hooks.public.test', [{ address: '93.184.215.14', family: 4 }]);
    expect(await refusal('https://hooks.public.test:6667/h')).toMatch(/cannot use port 6667/);
    expect(await plugboard.webhooks.list.query()).toEqual([]);
  });

  it('does not deliver to a name that resolves to a private address by delivery time', async () => {
    dns.set('hooks.rebind.test', [{ address: '93.184.215.14', family: 4 }]);
    const hook = await plugboard.webhooks.create.mutate({
      url: 'http://hooks.rebind.test:18443/h',
    });
    dns.set('hooks.rebind.test', [{ address: '169.254.169.254', family: 4 }]);
    const browser = new BrowserAgent(stack.url);
    await browser.demoLogin(stack.url);
    await browser.connect(stack.url, 'notion');
    expect(await deliverDueWebhooks(stack.orm.em.fork(), stack.server.deps)).toBe(1);
    const [delivery] = await plugboard.webhooks.deliveries.query({ endpointId: hook.id });
    expect(delivery).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'address refused',
    });
  });
});
