import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { AuthAttempt, ConnectToken, Connection, WebhookDelivery } from '@plugboard/db';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, testDatabases, type TestStack } from './testing';

/**
 * Reconnect links (issue 9 §2): `server.connectTokens.create({ reconnectConnectionId })` mints a
 * token whose session renews that one connection — pinned to its provider and inputs, the same
 * connection id kept, another provider account refused with nothing changed — and refuses, at
 * mint time, a connection of another end user or one that was deleted.
 */
const USER = 'user-reconnect';
const GRACE = { userId: '5a1b7c3d-0ada-4c0d-9e1a-ace0000000ff', email: 'grace@acme.example' };
const SHOP = 'acme-store.myshopify.com';

describe.each(testDatabases(inject('postgresUrl')))('reconnect links on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let plugboard: PlugboardClient;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
  });
  afterAll(async () => stack?.close());
  afterEach(async () => {
    await fetch(`${stack.mockUrl}/__control/reset`, { method: 'POST' });
    // The reset forgets the clients registered for this server's callback URL: register again.
    for (const providerId of ['notion', 'shopify'] as const) {
      const i = stack.env.integrations[providerId];
      await fetch(`${stack.mockUrl}/__control/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provider: providerId,
          clientId: i.clientId,
          clientSecret: i.clientSecret,
          redirectUris: [`${stack.url}/oauth/callback/${providerId}`],
        }),
      });
    }
    await stack.orm.em.fork().nativeDelete(Connection, {});
    await stack.orm.em.fork().nativeDelete(AuthAttempt, {});
  });

  /** Opens a connect link in a fresh browser, as the user following it would. */
  async function openLink(connectLinkUrl: string) {
    const agent = new BrowserAgent(stack.url);
    const landing = await agent.fetch(connectLinkUrl);
    expect(landing.status).toBe(303);
    return { agent, api: agent.trpc(stack.url) };
  }

  /** The user's first connection, through a plain connect link. */
  async function connectFirst(providerId: 'notion' | 'shopify' = 'notion') {
    const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
      externalUserId: USER,
    });
    const { agent } = await openLink(connectLinkUrl);
    const attempt = await agent.connect(
      stack.url,
      providerId,
      providerId === 'shopify' ? { shop: SHOP } : undefined,
    );
    expect(attempt.status).toBe('completed');
    return attempt.connection!.id;
  }

  /** Starts the reconnect session's flow as its Connect UI does, presses Allow, reads the result. */
  async function renew(api: ReturnType<BrowserAgent['trpc']>, agent: BrowserAgent) {
    const started = await api.connect.oauth.start.mutate({ providerId: 'notion' });
    const consent = await agent.navigate(started.authorizationUrl);
    await agent.decide(consent.url, await consent.res.text(), 'allow');
    return api.connect.attempts.get.query({ attemptId: started.attemptId });
  }

  const row = (id: string) => stack.orm.em.fork().findOneOrFail(Connection, { id });
  const rows = () => stack.orm.em.fork().find(Connection, {}, { orderBy: { createdAt: 'asc' } });
  const tokenCount = () => stack.orm.em.fork().count(ConnectToken, {});

  it('renews the same connection, pinned to its provider, and says why in connection.updated', async () => {
    const id = await connectFirst();
    await stack.orm.em.fork().nativeUpdate(Connection, { id }, { status: 'needs_reauth' });
    const before = await row(id);
    await plugboard.webhooks.create.mutate({
      url: 'http://127.0.0.1:59999/hooks',
      events: ['connection.updated'],
    });

    const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
      externalUserId: USER,
      reconnectConnectionId: id as never,
    });
    const { agent, api } = await openLink(connectLinkUrl);
    const { session } = await api.connect.session.me.query();
    // Pinned to the connection's provider: a one-provider link for Notion.
    expect(session).toMatchObject({ reconnectConnectionId: id, providerId: 'notion' });
    expect((await api.connect.providers.list.query()).map((p) => p.id)).toEqual(['notion']);

    // The Connect UI's plain start renews it: the server fills the connection in.
    const attempt = await renew(api, agent);
    expect(attempt).toMatchObject({ status: 'completed', reconnectConnectionId: id });
    expect(attempt.connection).toMatchObject({ id, status: 'active' });
    expect((await rows()).map((r) => [r.id, r.status])).toEqual([[id, 'active']]);
    expect((await row(id)).version).toBe(before.version + 1);
    const updated = await stack.orm.em
      .fork()
      .find(WebhookDelivery, { eventType: 'connection.updated' });
    expect(updated.map((d) => d.payload)).toEqual([
      expect.objectContaining({
        type: 'connection.updated',
        data: expect.objectContaining({
          connectionId: id,
          status: 'active',
          reason: 'reauthorized',
        }),
      }),
    ]);
  });

  it('refuses another provider account there and changes nothing', async () => {
    const id = await connectFirst();
    await stack.orm.em.fork().nativeUpdate(Connection, { id }, { status: 'needs_reauth' });
    const before = await row(id);
    const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
      externalUserId: USER,
      reconnectConnectionId: id as never,
    });
    const { agent, api } = await openLink(connectLinkUrl);
    await fetch(`${stack.mockUrl}/__control/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'notion', account: GRACE }),
    });
    const attempt = await renew(api, agent);
    expect(attempt).toMatchObject({ status: 'failed', connection: null });
    expect(attempt.error?.code).toBe('RECONNECT_ACCOUNT_MISMATCH');
    expect(attempt.error?.message).toContain('Nothing was changed');
    expect(attempt.error?.message).toContain('(Acme Workspace (ada@acme.example))');
    const after = await rows();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id,
      status: 'needs_reauth',
      version: before.version,
      credentialsEnc: before.credentialsEnc,
    });
  });

  it('keeps a reconnect link to its one connection whatever the request says', async () => {
    const id = await connectFirst();
    const other = await connectFirst('shopify');
    const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
      externalUserId: USER,
      reconnectConnectionId: id as never,
    });
    const { api } = await openLink(connectLinkUrl);
    const attempts = await stack.orm.em.fork().count(AuthAttempt, {});
    const refused = async (call: Promise<unknown>, code: string) =>
      expect(call).rejects.toSatisfy((e) => plugboardErrorCode(e) === code);
    await refused(
      api.connect.oauth.start.mutate({
        providerId: 'notion',
        reconnectConnectionId: other as never,
      }),
      'FORBIDDEN',
    );
    await refused(
      api.connect.oauth.start.mutate({ providerId: 'shopify', inputs: { shop: SHOP } }),
      'FORBIDDEN',
    );
    await refused(api.connect.telegram.qr.start.mutate(), 'FORBIDDEN');
    await refused(
      api.connect.apiKey.connect.mutate({
        providerId: 'notion-internal',
        values: { token: 'ntn_x' },
      }),
      'FORBIDDEN',
    );
    expect(await stack.orm.em.fork().count(AuthAttempt, {})).toBe(attempts);

    // The modal's popup flow renews it too.
    const started = await api.connect.oauth.startInPopup.mutate({ providerId: 'notion' });
    const attempt = await stack.orm.em.fork().findOneOrFail(AuthAttempt, { id: started.attemptId });
    expect(attempt.reconnectConnectionId).toBe(id);

    // Deleted after the link was minted: the flow is refused, nothing is added.
    await plugboard.connections.delete.mutate({ connectionId: id as never });
    await refused(api.connect.oauth.start.mutate({ providerId: 'notion' }), 'NOT_FOUND');
    expect((await rows()).map((r) => r.id)).toEqual([other]);
  });

  it("pins Shopify's reconnect to the connection's shop, with no field to fill", async () => {
    const id = await connectFirst('shopify');
    const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({
      externalUserId: USER,
      reconnectConnectionId: id as never,
    });
    const { agent, api } = await openLink(connectLinkUrl);
    // Even a typed shop is replaced by the one the connection was made with.
    const started = await api.connect.oauth.start.mutate({
      providerId: 'shopify',
      inputs: { shop: 'other-store' },
    });
    const consent = await agent.navigate(started.authorizationUrl);
    expect(new URL(consent.url).pathname).toContain(`/shopify/store/${SHOP}/`);
    await agent.decide(consent.url, await consent.res.text(), 'allow');
    const attempt = await api.connect.attempts.get.query({ attemptId: started.attemptId });
    expect(attempt).toMatchObject({ status: 'completed', connection: { id } });
    expect((await rows()).map((r) => r.id)).toEqual([id]);
  });

  it("refuses at mint time another user's connection, a deleted one, and a mismatched provider", async () => {
    const id = await connectFirst();
    const before = await tokenCount();
    const mint = (input: Record<string, unknown>) =>
      plugboard.connectTokens.create.mutate({ externalUserId: USER, ...input } as never);
    const refusal = async (input: Record<string, unknown>) => {
      try {
        await mint(input);
      } catch (err) {
        return { code: plugboardErrorCode(err), message: (err as Error).message };
      }
      throw new Error('minted');
    };

    const otherUser = await refusal({ externalUserId: 'someone-else', reconnectConnectionId: id });
    expect(otherUser.code).toBe('NOT_FOUND');
    expect(otherUser.message).toContain('Mint a token without reconnectConnectionId');
    expect(await refusal({ reconnectConnectionId: 'conn_doesnotexist0000000000' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refusal({ reconnectConnectionId: 'not-a-connection-id' })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const mismatch = await refusal({ reconnectConnectionId: id, providerId: 'github' });
    expect(mismatch.code).toBe('VALIDATION_FAILED');
    expect(mismatch.message).toContain('is a notion connection');
    // Telegram's sign-in cannot be held to one account: no reconnect link for it.
    await stack.orm.em.fork().nativeUpdate(Connection, { id }, { providerId: 'telegram' });
    expect(await refusal({ reconnectConnectionId: id })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await stack.orm.em.fork().nativeUpdate(Connection, { id }, { providerId: 'notion' });

    await plugboard.connections.delete.mutate({ connectionId: id as never });
    const deleted = await refusal({ reconnectConnectionId: id });
    expect(deleted.code).toBe('NOT_FOUND');
    expect(deleted.message).toContain('it was deleted');
    expect(await tokenCount()).toBe(before);
  });
});
