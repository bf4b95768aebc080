import { CreateConnectTokenInputSchema, PlugboardError } from '@plugboard/contracts';
import { ConnectToken } from '@plugboard/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../testing/test-deps';
import { createConnectToken } from './connect-tokens';
import { exchangeConnectToken } from './sessions';

describe('connect tokens carry the host intent', () => {
  let t: TestDeps;
  beforeEach(async () => {
    t = await createTestDeps();
  });
  afterEach(async () => t.close());

  const input = (extra: object) =>
    CreateConnectTokenInputSchema.parse({
      externalUserId: 'user-1',
      allowedOrigins: ['http://localhost:3001'],
      ...extra,
    });

  it('in production refuses a loopback http redirect URL, and stores nothing', async () => {
    t.deps.settings.allowInsecureRedirects = false;
    for (const field of ['successRedirectUrl', 'errorRedirectUrl']) {
      const err = await createConnectToken(
        t.em(),
        t.deps,
        input({ [field]: 'http://localhost:3001/done' }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PlugboardError);
      expect((err as PlugboardError).code).toBe('VALIDATION_FAILED');
      expect((err as PlugboardError).message).toContain(field);
    }
    expect(await t.em().count(ConnectToken, {})).toBe(0);
  });

  it('hands providerId, redirects and label to the session the link opens', async () => {
    const minted = await createConnectToken(
      t.em(),
      t.deps,
      input({
        providerId: 'shopify',
        successRedirectUrl: 'http://localhost:3001/done',
        endUserLabel: '  Ada  ',
      }),
    );
    const { session } = await exchangeConnectToken(t.em(), t.deps, minted.token);
    expect(session.allowedOrigins).toEqual(['http://localhost:3001']);
    expect(session.intent).toEqual({
      providerId: 'shopify',
      successRedirectUrl: 'http://localhost:3001/done',
      errorRedirectUrl: null,
      endUserLabel: 'Ada',
      reconnectConnectionId: null,
    });
  });
});
