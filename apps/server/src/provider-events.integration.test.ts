import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import type { ProviderId } from '@plugboard/contracts';
import { deliverDueWebhooks, newId, openStoredCredentials } from '@plugboard/core';
import { AuditEntry, Connection } from '@plugboard/db';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * Provider-initiated revocation end to end (apps/server/src/routes/provider-events.ts): connect
 * at the mock, "uninstall" there (`POST /__control/uninstall`, which sends the provider's real
 * signed event to Plugboard), and the connection is revoked, its credentials erased, the audit
 * log says so and the host gets `connection.revoked` with the reason. Wrong or stale signatures
 * are refused and change nothing.
 */
const databases = testDatabases(inject('postgresUrl'));
const SHOP = 'revoke-test.myshopify.com';

describe.each(databases)('provider-initiated revocation on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let plugboard: PlugboardClient;
  let server: Server;
  let hookUrl = '';
  let hookSecret = '';
  const received: { type: string; data: Record<string, string> }[] = [];

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, WEBHOOK_POLL_MS: '0', REFRESH_POLL_MS: '0' },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
        );
        // A host verifies every delivery (Standard Webhooks); one that fails is not counted.
        received.push(new Webhook(hookSecret).verify(body, headers) as (typeof received)[number]);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    hookUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hooks`;
    hookSecret = (await plugboard.webhooks.create.mutate({ url: hookUrl })).secret;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await stack?.close();
  });

  async function connect(providerId: ProviderId, user: string, inputs?: Record<string, string>) {
    const link = await plugboard.connectTokens.create.mutate({ externalUserId: user });
    const browser = new BrowserAgent(stack.url);
    await browser.navigate(link.connectLinkUrl);
    const attempt = await browser.connect(stack.url, providerId, inputs);
    expect(attempt.status).toBe('completed');
    return stack.orm.em.fork().findOneOrFail(Connection, { id: attempt.connection!.id });
  }

  const uninstall = async (body: Record<string, unknown>) => {
    const res = await fetch(`${stack.mockUrl}/__control/uninstall`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const sent = (await res.json()) as { status: number; body: string };
    return { status: sent.status, body: JSON.parse(sent.body) as Record<string, unknown> };
  };
  const endpoint = (id: string) => `${stack.url}/providers/${id}/events`;

  /** The connection is revoked, holds no token, is audited, and the host was told why. */
  async function expectRevoked(row: Connection, reason: string) {
    const after = await stack.orm.em.fork().findOneOrFail(Connection, { id: row.id });
    expect(after.status).toBe('revoked');
    const stored = openStoredCredentials(stack.server.deps.keyring, row.id, after.credentialsEnc);
    expect(stored).toMatchObject({ type: 'oauth2', accessToken: '', refreshToken: null });
    const before = openStoredCredentials(stack.server.deps.keyring, row.id, row.credentialsEnc);
    if (before.type === 'oauth2') expect(after.credentialsEnc).not.toContain(before.accessToken);
    await expect(
      plugboard.connections.credentials.mutate({ connectionId: row.id as `conn_${string}` }),
    ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'CONNECTION_NEEDS_REAUTH');
    const audit = await stack.orm.em
      .fork()
      .find(AuditEntry, { connectionId: row.id, action: 'connection.revoked' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('system');
    received.length = 0;
    await deliverDueWebhooks(stack.orm.em.fork(), stack.server.deps);
    expect(received).toContainEqual(
      expect.objectContaining({
        type: 'connection.revoked',
        data: expect.objectContaining({ connectionId: row.id, status: 'revoked', reason }),
      }),
    );
  }

  it('Shopify app/uninstalled (HMAC with the client secret) revokes the shop', async () => {
    const row = await connect('shopify', 'shop-owner', { shop: SHOP });
    const clientId = stack.env.integrations.shopify.clientId;
    // A forged event (signed with another secret) is refused and changes nothing.
    const forged = await fetch(endpoint('shopify'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'app/uninstalled',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-hmac-sha256': Buffer.alloc(32, 1).toString('base64'),
      },
      body: JSON.stringify({ domain: SHOP }),
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'SIGNATURE_INVALID',
    );
    expect((await stack.orm.em.fork().findOneOrFail(Connection, { id: row.id })).status).toBe(
      'active',
    );

    const sent = await uninstall({
      provider: 'shopify',
      url: endpoint('shopify'),
      clientId,
      shop: SHOP,
    });
    expect(sent).toEqual({ status: 200, body: { ok: true, revoked: 1 } });
    await expectRevoked(row, 'app_uninstalled');
    // The same event again (Shopify retries): nothing more happens.
    expect(
      await uninstall({ provider: 'shopify', url: endpoint('shopify'), clientId, shop: SHOP }),
    ).toEqual({ status: 200, body: { ok: true, revoked: 0 } });
  });

  it('Stripe account.application.deauthorized (Stripe-Signature) revokes the account', async () => {
    const row = await connect('stripe', 'merchant');
    const signingSecret = stack.env.integrations.stripe.webhookSecret!;
    const stale = await uninstall({
      provider: 'stripe',
      url: endpoint('stripe'),
      signingSecret,
      account: row.accountId,
      timestampOffsetSeconds: 600,
    });
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ error: { code: 'SIGNATURE_EXPIRED' } });
    const wrong = await uninstall({
      provider: 'stripe',
      url: endpoint('stripe'),
      signingSecret: 'whsec_not-the-right-one',
      account: row.accountId,
    });
    expect(wrong.status).toBe(401);
    expect((await stack.orm.em.fork().findOneOrFail(Connection, { id: row.id })).status).toBe(
      'active',
    );

    const sent = await uninstall({
      provider: 'stripe',
      url: endpoint('stripe'),
      signingSecret,
      account: row.accountId,
    });
    expect(sent).toEqual({ status: 200, body: { ok: true, revoked: 1 } });
    await expectRevoked(row, 'account_deauthorized');
  });

  it('Slack url_verification, then app_uninstalled (X-Slack-Signature) revokes the workspace', async () => {
    const signingSecret = stack.env.integrations.slack.webhookSecret!;
    // The Request URL check: a signed challenge is echoed; an unsigned one is refused.
    const challengeBody = JSON.stringify({
      type: 'url_verification',
      challenge: 'c-123',
      token: 't',
    });
    const unsigned = await fetch(endpoint('slack'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: challengeBody,
    });
    expect(unsigned.status).toBe(401);
    const { createHmac } = await import('node:crypto');
    const ts = String(Math.floor(Date.now() / 1000));
    const signed = await fetch(endpoint('slack'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${challengeBody}`).digest('hex')}`,
      },
      body: challengeBody,
    });
    expect(await signed.json()).toEqual({ challenge: 'c-123' });

    const row = await connect('slack', 'slacker');
    const [teamId, userId] = row.accountId.split(':');
    const stale = await uninstall({
      provider: 'slack',
      url: endpoint('slack'),
      signingSecret,
      teamId,
      timestampOffsetSeconds: 600,
    });
    expect(stale.status).toBe(400);
    // tokens_revoked for another user of the workspace leaves this one alone.
    expect(
      await uninstall({
        provider: 'slack',
        url: endpoint('slack'),
        signingSecret,
        teamId,
        event: 'tokens_revoked',
        userIds: ['U0SOMEONEELSE'],
      }),
    ).toEqual({ status: 200, body: { ok: true, revoked: 0 } });
    expect(userId).toBeTruthy();
    const sent = await uninstall({
      provider: 'slack',
      url: endpoint('slack'),
      signingSecret,
      teamId,
    });
    expect(sent).toEqual({ status: 200, body: { ok: true, revoked: 1 } });
    await expectRevoked(row, 'app_uninstalled');
  });
});
