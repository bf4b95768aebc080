import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import type { AuditEntryDto } from '@plugboard/contracts';
import { newId, openCredentials } from '@plugboard/core';
import { ApiKey, AuditEntry, Connection } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * The audit log a host app reads through `server.auditLog.list`: every credentials read and
 * every connection and webhook endpoint change, with who did it — and never a secret.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('audit log on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let plugboard: PlugboardClient;
  let keyId = '';
  /** Every token and secret this test handles: none may appear in any entry. */
  const secrets = new Set<string>([apiKey]);

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, WEBHOOK_POLL_MS: '0' },
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    keyId = (await stack.orm.em.fork().findOneOrFail(ApiKey, { name: 'bootstrap' })).id;
  });
  afterAll(async () => stack?.close());

  async function connect(externalUserId: string) {
    const link = await plugboard.connectTokens.create.mutate({ externalUserId });
    secrets.add(new URL(link.connectLinkUrl).searchParams.get('token')!);
    const browser = new BrowserAgent(stack.url);
    await browser.navigate(link.connectLinkUrl);
    const attempt = await browser.connect(stack.url, 'notion');
    expect(attempt.status).toBe('completed');
    lastBrowser = browser;
    return attempt.connection!.id;
  }
  let lastBrowser: BrowserAgent | undefined;
  async function rememberTokens(connectionId: string) {
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: connectionId });
    const tokens = openCredentials(stack.server.deps.keyring, row.id, row.credentialsEnc);
    secrets.add(tokens.accessToken);
    if (tokens.refreshToken) secrets.add(tokens.refreshToken);
  }
  const all = async (input: Parameters<PlugboardClient['auditLog']['list']['query']>[0] = {}) => {
    const items: AuditEntryDto[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AuditEntryDto[]; nextCursor: string | null } =
        await plugboard.auditLog.list.query({ ...input, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  it('records who connected, read, refreshed, revoked and deleted, and webhook changes', async () => {
    const id = await connect('alice');
    await rememberTokens(id);
    await connect('alice'); // the same account again: reauthorised
    await rememberTokens(id);

    const plain = await plugboard.connections.credentials.mutate({ connectionId: id });
    expect(plain.refreshed).toBe(false);
    const forced = await plugboard.connections.credentials.mutate({
      connectionId: id,
      forceRefresh: true,
    });
    expect(forced.refreshed).toBe(true);
    secrets.add(forced.accessToken);
    await rememberTokens(id);
    const unknown = newId('conn_') as `conn_${string}`;
    await expect(
      plugboard.connections.credentials.mutate({ connectionId: unknown }),
    ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'NOT_FOUND'); // refused: no entry

    const urlToken = 'tok-in-the-webhook-url-9f8e7d';
    secrets.add(urlToken);
    const hook = await plugboard.webhooks.create.mutate({
      url: `http://127.0.0.1:59999/hooks/${urlToken}?key=${urlToken}`,
    });
    secrets.add(hook.secret);
    secrets.add(hook.secret.replace(/^whsec_/, ''));
    await plugboard.webhooks.delete.mutate({ id: hook.id });

    const removed = await plugboard.connections.delete.mutate({ connectionId: id });
    expect(removed.revokedAtProvider).toBe(true);

    // Newest first, through the sealed cursor two at a time.
    const entries = await all();
    expect(entries.map((e) => [e.action, e.actor, e.connectionId ?? e.targetId]).reverse()).toEqual(
      [
        ['connection.created', 'user:alice', id],
        ['connection.reauthorized', 'user:alice', id],
        ['credentials.read', keyId, id],
        ['credentials.read', keyId, id],
        ['webhook_endpoint.created', keyId, hook.id],
        ['webhook_endpoint.deleted', keyId, hook.id],
        ['connection.revoked', keyId, id],
        ['connection.deleted', keyId, id],
      ],
    );
    const reads = entries.filter((e) => e.action === 'credentials.read').reverse();
    expect(reads.map((e) => e.detail)).toEqual([{ refreshed: false }, { refreshed: true }]);
    expect(reads[0]!.providerId).toBe('notion');
    expect(entries.find((e) => e.action === 'webhook_endpoint.created')!.detail).toEqual({
      host: '127.0.0.1:59999',
    });
    expect(entries.find((e) => e.action === 'connection.deleted')!.detail).toEqual({
      revokedAtProvider: true,
    });
    for (const e of entries) expect(Date.parse(e.at)).not.toBeNaN();

    // No secret anywhere: not in what the API returns, not in the stored rows.
    const stored = JSON.stringify(await stack.orm.em.fork().find(AuditEntry, {}));
    const listed = JSON.stringify(entries);
    for (const secret of secrets) {
      expect(listed).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  });

  it('records an end user disconnecting in the Connect UI as that user', async () => {
    const id = await connect('erin');
    const api = lastBrowser!.trpc(stack.url);
    await api.connect.connections.disconnect.mutate({ connectionId: id });
    expect((await all({ connectionId: id })).map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['connection.deleted', 'user:erin', { revokedAtProvider: true }],
      ['connection.revoked', 'user:erin', {}],
      ['connection.created', 'user:erin', {}],
    ]);
  });

  it('filters by connection, actor and action', async () => {
    const bob = await connect('bob');
    await plugboard.connections.credentials.mutate({ connectionId: bob });
    const byConnection = await all({ connectionId: bob });
    expect(byConnection.map((e) => e.action)).toEqual(['credentials.read', 'connection.created']);
    expect((await all({ actor: 'user:bob' })).map((e) => e.connectionId)).toEqual([bob]);
    const reads = await all({ actor: keyId, action: 'credentials.read' });
    expect(reads).toHaveLength(3);
    expect(reads[0]!.connectionId).toBe(bob);
    expect(await all({ action: 'connection.reauthorized' })).toHaveLength(1);
    expect(await all({ actor: newId('key_') })).toEqual([]);
  });

  it('refuses bad filters and cursors with VALIDATION_FAILED naming the field', async () => {
    const issuePath = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(plugboardErrorCode(err)).toBe('VALIDATION_FAILED');
      return (err as { data: { issues?: { path: string }[] } }).data.issues?.[0]?.path;
    };
    expect(await issuePath(plugboard.auditLog.list.query({ actor: 'user:bob\u0000' }))).toBe(
      'actor',
    );
    expect(await issuePath(plugboard.auditLog.list.query({ actor: 'admin' }))).toBe('actor');
    expect(
      await issuePath(plugboard.auditLog.list.query({ action: 'credentials.leak' as never })),
    ).toBe('action');
    expect(
      await issuePath(
        plugboard.auditLog.list.query({ connectionId: 'conn_x' as `conn_${string}` }),
      ),
    ).toBe('connectionId');
    await expect(plugboard.auditLog.list.query({ cursor: 'not-a-cursor' })).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'VALIDATION_FAILED',
    );
    // A cursor of another listing does not open here.
    await connect('carol');
    await connect('dave');
    const other = await plugboard.connections.list.query({ limit: 1 });
    await expect(plugboard.auditLog.list.query({ cursor: other.nextCursor! })).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'VALIDATION_FAILED',
    );
    const unauthenticated = createPlugboardClient({ url: stack.url, apiKey: newId('pk_') });
    await expect(unauthenticated.auditLog.list.query({})).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'API_KEY_INVALID',
    );
  });
});
