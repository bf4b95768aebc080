import { createPlugboardClient, type PlugboardClient } from '@plugboard/client';
import type { ProviderId } from '@plugboard/contracts';
import { ManualClock, newId } from '@plugboard/core';
import { Connection, WebhookDelivery } from '@plugboard/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * API-key and bot-token connections (the api_key mode) over real HTTP: Connect UI procedure →
 * the provider's verification call at the mock → sealed connection, on SQLite and PostgreSQL.
 * Every refusal (bad form, rejected by the provider, provider down) stores nothing.
 */
const databases = testDatabases(inject('postgresUrl'));

interface Case {
  providerId: ProviderId;
  /** The mock personality that emulates it (for fault injection) and the endpoint. */
  personality: string;
  endpoint: string;
  secretField: string;
  /** Right form, but not a credential the mock issued. */
  forged: (issued: Record<string, string>) => Record<string, string>;
  badForm: Record<string, string>;
  badField: string;
  label: RegExp;
}

const cases: Case[] = [
  {
    providerId: 'notion-internal',
    personality: 'notion',
    endpoint: 'identity',
    secretField: 'token',
    forged: () => ({ token: `ntn_${'x'.repeat(46)}` }),
    badForm: { token: 'secret_abc' },
    badField: 'token',
    label: /Acme Workspace/,
  },
  {
    providerId: 'telegram-bot',
    personality: 'telegram',
    endpoint: 'bot.getMe',
    secretField: 'botToken',
    forged: () => ({ botToken: `123456789:AA${'x'.repeat(33)}` }),
    badForm: { botToken: 'not-a-token' },
    badField: 'botToken',
    label: /@plugboard_mock_/,
  },
  {
    providerId: 'stripe-restricted',
    personality: 'stripe',
    endpoint: 'identity',
    secretField: 'apiKey',
    forged: () => ({ apiKey: `rk_test_${'x'.repeat(40)}` }),
    badForm: { apiKey: 'sk_test_abcdefghijklmnop' },
    badField: 'apiKey',
    label: /.+/,
  },
  {
    providerId: 'shopify-custom-app',
    personality: 'shopify',
    endpoint: 'identity',
    secretField: 'accessToken',
    forged: (issued) => ({ shop: issued.shop!, accessToken: `shpat_${'0'.repeat(32)}` }),
    badForm: { shop: 'evil.example.com', accessToken: 'shpat_0123456789abcdef' },
    badField: 'shop',
    label: /.+/,
  },
];

describe.each(databases)('API-key connections on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let plugboard: PlugboardClient;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      clock: new ManualClock(),
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
  });
  afterAll(async () => stack?.close());
  afterEach(async () => {
    await control('/reset');
    await stack.orm.em.fork().nativeDelete(Connection, {});
  });

  const control = (path: string, body?: unknown) =>
    fetch(`${stack.mockUrl}/__control${path}`, {
      method: 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  async function issue(providerId: string): Promise<Record<string, string>> {
    const res = await control('/api-keys', { provider: providerId });
    expect(res.status).toBe(200);
    return ((await res.json()) as { values: Record<string, string> }).values;
  }

  async function browser() {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    return agent.trpc(stack.url);
  }

  async function trpcError(promise: Promise<unknown>) {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCClientError);
    return err as {
      message: string;
      data: { code: string; issues?: { path: string; message: string }[] };
    };
  }

  const rows = () => stack.orm.em.fork().count(Connection, {});
  const events = () => stack.orm.em.fork().count(WebhookDelivery, {});

  it('providers.list carries each api_key provider with its fields', async () => {
    const api = await browser();
    const providers = await api.connect.providers.list.query();
    const shopify = providers.find((p) => p.id === 'shopify-custom-app')!;
    expect(shopify.authMode).toBe('api_key');
    expect(shopify.availability).toBe('available');
    expect(shopify.inputs.map((i) => [i.name, i.secret])).toEqual([
      ['shop', false],
      ['accessToken', true],
    ]);
    expect(shopify.inputs[1]!.label).toBe('Admin API access token');
    expect(shopify.inputs[1]!.hint).toMatch(/Develop apps/);
    expect(shopify.inputs[1]!.placeholder).toBe('shpat_…');
    for (const c of cases) {
      const p = providers.find((x) => x.id === c.providerId)!;
      expect(p.inputs.find((i) => i.name === c.secretField)?.secret).toBe(true);
    }
    // Existing inputs are not secret.
    expect(providers.find((p) => p.id === 'shopify')!.inputs[0]!.secret).toBe(false);
  });

  describe.each(cases)('$providerId', (c) => {
    it('valid → connected, listed, credentials returned, disconnected', async () => {
      const values = await issue(c.providerId);
      const api = await browser();
      const out = await api.connect.apiKey.connect.mutate({ providerId: c.providerId, values });
      expect(out.providerId).toBe(c.providerId);
      expect(out.accountLabel).toMatch(c.label);

      const listed = await api.connect.connections.list.query();
      expect(listed.map((l) => l.id)).toEqual([out.connectionId]);
      expect(listed[0]!.metadata.providerId).toBe(c.providerId);

      const creds = await plugboard.connections.credentials.mutate({
        connectionId: out.connectionId,
      });
      expect(creds.type).toBe('api_key');
      if (creds.type !== 'api_key') throw new Error('unreachable');
      expect(creds.values).toEqual(values);
      expect(creds.accessToken).toBe(values[c.secretField]);

      // Sealed: the row never holds the secret in clear; nothing secret was logged.
      const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: out.connectionId });
      expect(row.credentialsEnc).not.toContain(values[c.secretField]!);
      expect(stack.logs.join('')).not.toContain(values[c.secretField]!);

      // Connecting the same account again updates it instead of adding one.
      await api.connect.apiKey.connect.mutate({ providerId: c.providerId, values });
      expect(await rows()).toBe(1);

      const removed = await plugboard.connections.delete.mutate({
        connectionId: out.connectionId,
      });
      expect(removed.revokedAtProvider).toBe(false);
      expect(await rows()).toBe(0);
    });

    it('a credential the provider refuses → CREDENTIALS_REJECTED at the secret field, nothing stored', async () => {
      const issued = await issue(c.providerId);
      const api = await browser();
      const before = await events();
      const err = await trpcError(
        api.connect.apiKey.connect.mutate({ providerId: c.providerId, values: c.forged(issued) }),
      );
      expect(err.data.code).toBe('CREDENTIALS_REJECTED');
      expect(err.data.issues).toEqual([{ path: `values.${c.secretField}`, message: err.message }]);
      expect(await rows()).toBe(0);
      expect(await events()).toBe(before);
    });

    it('a value of the wrong form → INPUT_INVALID at that field, no call, nothing stored', async () => {
      const api = await browser();
      const err = await trpcError(
        api.connect.apiKey.connect.mutate({ providerId: c.providerId, values: c.badForm }),
      );
      expect(err.data.code).toBe('INPUT_INVALID');
      expect(err.data.issues?.[0]?.path).toBe(`values.${c.badField}`);
      const missing = await trpcError(
        api.connect.apiKey.connect.mutate({ providerId: c.providerId, values: {} }),
      );
      expect(missing.data.code).toBe('INPUT_INVALID');
      expect(missing.message).toMatch(/is required/);
      expect(await rows()).toBe(0);
    });

    it('the provider down → PROVIDER_UNAVAILABLE, nothing stored', async () => {
      const values = await issue(c.providerId);
      await control('/faults', {
        provider: c.personality,
        endpoint: c.endpoint,
        kind: 'error_500',
        count: 1,
      });
      const api = await browser();
      const err = await trpcError(
        api.connect.apiKey.connect.mutate({ providerId: c.providerId, values }),
      );
      expect(err.data.code).toBe('PROVIDER_UNAVAILABLE');
      expect(await rows()).toBe(0);
    });
  });

  it('an OAuth provider is refused by connect.apiKey.connect', async () => {
    const api = await browser();
    const err = await trpcError(
      api.connect.apiKey.connect.mutate({ providerId: 'notion', values: { token: 'x' } }),
    );
    expect(err.data.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(await rows()).toBe(0);
  });

  it('the fixed dev credentials work for people trying the server by hand', async () => {
    const api = await browser();
    const out = await api.connect.apiKey.connect.mutate({
      providerId: 'notion-internal',
      values: { token: 'ntn_devPlugboardMockInternalIntegration0001' },
    });
    expect(out.accountLabel).toMatch(/Acme Workspace/);
  });
});
