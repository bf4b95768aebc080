import { migrate, openOrm, Session, AuthAttempt, ConnectToken, type Orm } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { generateKeySpec, parseKeyring } from '../crypto';
import type { CoreDeps } from '../deps';
import { createConnectToken } from './connect-tokens';
import { purgeExpired } from './housekeeping';
import { createSession } from './sessions';
import { createAuthModes, HttpTelegramGateway, ProviderHttp } from '@plugboard/providers';

describe('purgeExpired', () => {
  let orm: Orm;
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const silent = { info() {}, warn() {}, error() {} };
  const deps: CoreDeps = {
    keyring: parseKeyring(generateKeySpec()),
    clock,
    http: new ProviderHttp({ timeoutMs: 1000 }),
    integrationEnv: () => {
      throw new Error('not used');
    },
    mockIntegration: () => {
      throw new Error('not used');
    },
    settings: {
      publicUrl: 'http://pb.test',
      webUrl: 'http://pb.test',
      sessionTtlSeconds: 3600,
      attemptTtlSeconds: 600,
      connectTokenDefaultTtlSeconds: 1800,
      allowInsecureRedirects: true,
    },
    logger: silent,
    modes: createAuthModes({
      telegramGateway: new HttpTelegramGateway({
        baseUrl: 'http://telegram.invalid',
        apiId: 1,
        apiHash: 'unused',
        http: new ProviderHttp({ timeoutMs: 1000 }),
      }),
    }),
    refreshes: new Map(),
  };
  beforeAll(async () => {
    orm = await openOrm({ kind: 'sqlite', path: ':memory:' });
    await migrate(orm);
  });
  afterAll(async () => orm.close());

  it('removes only what has expired', async () => {
    const em = orm.em.fork();
    await createSession(em, deps, { externalUserId: 'u', allowedOrigins: [], demo: false });
    await createConnectToken(em, deps, { externalUserId: 'u' });
    em.create(AuthAttempt, {
      id: 'att_old',
      providerId: 'notion',
      externalUserId: 'u',
      sessionId: null,
      stateHash: 'h'.repeat(64),
      pkceVerifierEnc: null,
      redirectUri: 'x',
      tokenUrl: 'x',
      inputs: {},
      returnTo: null,
      status: 'failed',
      errorCode: null,
      connectionId: null,
      expiresAt: clock.now(),
      consumedAt: null,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    await em.flush();

    expect(await purgeExpired(orm.em.fork(), deps)).toEqual({
      sessions: 0,
      connectTokens: 0,
      attempts: 0,
      connectFlows: 0,
      webhookDeliveries: 0,
      auditEntries: 0,
      idempotencyRecords: 0,
      apiAccessTokens: 0,
    });
    clock.advance(3600); // the session has expired; the connect token too (30 min)
    expect(await purgeExpired(orm.em.fork(), deps)).toEqual({
      sessions: 1,
      connectTokens: 1,
      attempts: 0,
      connectFlows: 0,
      webhookDeliveries: 0,
      auditEntries: 0,
      idempotencyRecords: 0,
      apiAccessTokens: 0,
    });
    clock.advance(24 * 3600); // the attempt is a day past its expiry
    expect(await purgeExpired(orm.em.fork(), deps)).toEqual({
      sessions: 0,
      connectTokens: 0,
      attempts: 1,
      connectFlows: 0,
      webhookDeliveries: 0,
      auditEntries: 0,
      idempotencyRecords: 0,
      apiAccessTokens: 0,
    });
    const check = orm.em.fork();
    expect([
      await check.count(Session),
      await check.count(ConnectToken),
      await check.count(AuthAttempt),
    ]).toEqual([0, 0, 0]);
  });
});
