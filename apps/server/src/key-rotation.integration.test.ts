import { createPlugboardClient } from '@plugboard/client';
import {
  generateKeySpec,
  idempotencyResponseAad,
  integrationConfig,
  newId,
  open,
  openCredentials,
  parseKeyring,
  resealWithCurrentKey,
  sealedKeyId,
} from '@plugboard/core';
import {
  AuthAttempt,
  Connection,
  IdempotencyRecord,
  Integration,
  WebhookEndpoint,
} from '@plugboard/db';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, testDatabases } from './testing';

describe.each(testDatabases(inject('postgresUrl')))('key rotation on %s', (db, database) => {
  it('re-seals everything with the new key, after which the old key can go', async () => {
    const apiKey = newId('pk_');
    const stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      database: await database(),
    });
    try {
      const oldKeys = stack.server.deps.keyring;
      const agent = new BrowserAgent(stack.url);
      await agent.demoLogin(stack.url);
      await agent.connect(stack.url, 'notion');
      const plugboard = createPlugboardClient({ url: stack.url, apiKey });
      await plugboard.webhooks.create.mutate({ url: 'http://127.0.0.1:59999/x' });
      // An integration's client secret stored through the API.
      await plugboard.integrations.upsert.mutate({
        providerId: 'github',
        clientId: 'gh-client',
        clientSecret: 'gh-secret-stored-in-db',
      });
      // A headless attempt holds a sealed authorization URL.
      const headless = await plugboard.oauth.start.mutate({
        providerId: 'notion',
        externalUserId: 'u',
        redirectUrl: 'http://127.0.0.1:9/done',
      });
      // A REST create with an Idempotency-Key keeps its answer (a connect token) sealed for replays.
      const created = await fetch(`${stack.url}/v1/connect-tokens`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': 'rotate-me-1',
        },
        body: JSON.stringify({ externalUserId: 'idem-user' }),
      });
      expect(created.status).toBe(201);
      const createdBody = (await created.json()) as { token: string };
      expect(createdBody.token).toMatch(/^ctok_/);
      const before = await stack.orm.em.fork().findOneOrFail(Connection, { providerId: 'notion' });
      const token = openCredentials(oldKeys, before.id, before.credentialsEnc).accessToken;

      const newSpec = generateKeySpec('k2');
      const oldSpec = `${oldKeys.currentKeyId}:${oldKeys.keys.get(oldKeys.currentKeyId)!.toString('base64')}`;
      const rotated = parseKeyring(`${newSpec},${oldSpec}`);
      expect(await resealWithCurrentKey(stack.orm.em.fork(), rotated)).toEqual({
        connections: 1,
        attempts: 1,
        webhookEndpoints: 1,
        connectFlows: 0,
        integrations: 1,
        idempotencyRecords: 1,
        compacted: db === 'sqlite',
      });
      expect(await resealWithCurrentKey(stack.orm.em.fork(), rotated)).toEqual({
        connections: 0,
        attempts: 0,
        webhookEndpoints: 0,
        connectFlows: 0,
        integrations: 0,
        idempotencyRecords: 0,
        compacted: db === 'sqlite',
      });

      const after = await stack.orm.em.fork().findOneOrFail(Connection, { providerId: 'notion' });
      expect(sealedKeyId(after.credentialsEnc)).toBe('k2');
      expect(
        sealedKeyId(
          (
            await stack.orm.em
              .fork()
              .findOneOrFail(WebhookEndpoint, { url: 'http://127.0.0.1:59999/x' })
          ).secretEnc,
        ),
      ).toBe('k2');
      const attempt = await stack.orm.em
        .fork()
        .findOneOrFail(AuthAttempt, { id: headless.attemptId });
      expect(sealedKeyId(attempt.authorizationUrlEnc!)).toBe('k2');
      const integration = await stack.orm.em
        .fork()
        .findOneOrFail(Integration, { providerId: 'github' });
      expect(sealedKeyId(integration.clientSecretEnc!)).toBe('k2');
      const [record] = await stack.orm.em.fork().find(IdempotencyRecord, {});
      expect(sealedKeyId(record!.responseEnc!)).toBe('k2');
      // Only the new key is needed now: the replayable answer opens with it alone.
      expect(
        JSON.parse(
          open(parseKeyring(newSpec), record!.responseEnc!, idempotencyResponseAad(record!.id)),
        ),
      ).toEqual(createdBody);
      expect(
        (
          await integrationConfig(
            stack.orm.em.fork(),
            {
              ...stack.server.deps,
              keyring: parseKeyring(newSpec),
            },
            'github',
          )
        ).clientSecret,
      ).toBe('gh-secret-stored-in-db');
      expect(
        openCredentials(parseKeyring(newSpec), after.id, after.credentialsEnc).accessToken,
      ).toBe(token);
    } finally {
      await stack.close();
    }
  });
});

describe('key rotation', () => {
  it('leaves no ciphertext of the old key anywhere in the SQLite file', async () => {
    const apiKey = newId('pk_');
    const stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
    try {
      const oldKeys = stack.server.deps.keyring;
      // As a database written before secure_delete was on: freed cells keep their bytes.
      await stack.orm.em.getConnection().execute('pragma secure_delete = off');
      const agent = new BrowserAgent(stack.url);
      await agent.demoLogin(stack.url);
      await agent.connect(stack.url, 'notion');
      await agent.connect(stack.url, 'notion'); // the same account again: credentials rewritten
      // A connection removed before the rotation: its row is gone, its bytes were not.
      const removed = (await agent.connect(stack.url, 'github')).connection!.id;
      await agent.trpc(stack.url).connect.connections.disconnect.mutate({ connectionId: removed });
      const plugboard = createPlugboardClient({ url: stack.url, apiKey });
      await plugboard.webhooks.create.mutate({ url: 'http://127.0.0.1:59999/x' });
      await plugboard.oauth.start.mutate({
        providerId: 'notion',
        externalUserId: 'u',
        redirectUrl: 'http://127.0.0.1:9/done',
      });

      if (stack.database.kind !== 'sqlite') throw new Error('expected a SQLite stack');
      const path = stack.database.path;
      const oldPrefix = Buffer.from(`v1.${oldKeys.currentKeyId}.`);
      const filesHolding = (needle: Buffer) =>
        [path, `${path}-wal`, `${path}-journal`].filter(
          (f) => existsSync(f) && readFileSync(f).includes(needle),
        );
      // Before: the old key's ciphertext is on disk — in the file, or still in its WAL (WAL mode,
      // packages/db/src/orm.ts) until the next checkpoint.
      expect(filesHolding(oldPrefix)).not.toEqual([]);

      const oldSpec = `${oldKeys.currentKeyId}:${oldKeys.keys.get(oldKeys.currentKeyId)!.toString('base64')}`;
      const rotated = parseKeyring(`${generateKeySpec('k2')},${oldSpec}`);
      const report = await resealWithCurrentKey(stack.orm.em.fork(), rotated);
      expect(report).toMatchObject({ connections: 1, webhookEndpoints: 1 });

      // Not in a live row, a freed page or cell, or a journal: the file holds only new-key ciphertext.
      expect(filesHolding(oldPrefix)).toEqual([]);
      expect(filesHolding(Buffer.from('v1.k2.'))).toEqual([path]);
    } finally {
      await stack.close();
    }
  });
});
