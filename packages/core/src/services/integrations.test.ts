import { PlugboardError, type IntegrationMode } from '@plugboard/contracts';
import { AuditEntry, Integration } from '@plugboard/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeySpec, parseKeyring, sealedKeyId } from '../crypto';
import { createTestDeps, testClient, type TestDeps } from '../testing/test-deps';
import {
  assertProviderEnabled,
  disabledProviderIds,
  disableIntegration,
  getIntegration,
  integrationConfig,
  listIntegrations,
  resealIntegrationSecrets,
  upsertIntegration,
} from './integrations';
import { createAttempt } from './oauth-attempts';

const ADMIN = 'key_integrationsadmin01';
const SECRET = 'db-secret-value-0123456789';

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
});
afterEach(async () => t.close());

function setEnv(env: {
  mode?: IntegrationMode;
  client?: { clientId: string; clientSecret: string };
  baseUrl?: string;
}) {
  t.deps.integrationEnv = () => ({
    mode: env.mode,
    client: env.client,
    baseUrl: env.baseUrl,
    webhookSecret: undefined,
  });
}

const codeOf = (e: unknown) => (e instanceof PlugboardError ? e.code : String(e));

describe('the configuration in effect', () => {
  it('with nothing stored and nothing in the environment: mock mode, the mock client, enabled', async () => {
    const dto = await getIntegration(t.em(), t.deps, 'notion');
    expect(dto).toMatchObject({
      enabled: { value: true, source: 'default' },
      mode: { value: 'mock', source: 'default' },
      clientId: { value: testClient('notion').clientId, source: 'default' },
      clientSecret: { set: true, source: 'default' },
      updatedAt: null,
    });
    const config = await integrationConfig(t.em(), t.deps, 'notion');
    expect(config).toMatchObject({ mode: 'mock', ...testClient('notion') });
    expect(config.scopes).toBeUndefined();
  });

  it('a stored client makes the provider live with it; the secret is sealed and never listed', async () => {
    const dto = await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'notion', clientId: 'db-client', clientSecret: SECRET },
      ADMIN,
    );
    expect(dto.mode).toEqual({ value: 'live', source: 'database' });
    expect(dto.clientId).toEqual({ value: 'db-client', source: 'database' });
    expect(dto.clientSecret).toEqual({ set: true, source: 'database' });
    const listed = await listIntegrations(t.em(), t.deps);
    expect(JSON.stringify([dto, listed])).not.toContain(SECRET);
    const row = await t.em().findOneOrFail(Integration, { providerId: 'notion' });
    expect(row.clientSecretEnc).not.toContain(SECRET);
    expect(sealedKeyId(row.clientSecretEnc!)).toBe(t.deps.keyring.currentKeyId);
    const config = await integrationConfig(t.em(), t.deps, 'notion');
    expect(config).toMatchObject({
      mode: 'live',
      clientId: 'db-client',
      clientSecret: SECRET,
      baseUrl: 'https://api.notion.com',
    });
  });

  it('the environment wins where it sets a value', async () => {
    await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'notion', clientId: 'db-client', clientSecret: SECRET, scopes: ['a', 'b'] },
      ADMIN,
    );
    setEnv({ client: { clientId: 'env-client', clientSecret: 'env-secret' } });
    expect(await integrationConfig(t.em(), t.deps, 'notion')).toMatchObject({
      mode: 'live',
      clientId: 'env-client',
      clientSecret: 'env-secret',
      scopes: ['a', 'b'],
    });
    const dto = await getIntegration(t.em(), t.deps, 'notion');
    expect(dto.clientId).toEqual({ value: 'env-client', source: 'env' });
    expect(dto.mode).toEqual({ value: 'live', source: 'env' });
    expect(dto.scopes).toEqual({ value: ['a', 'b'], source: 'database' });

    setEnv({ mode: 'mock' });
    expect(await integrationConfig(t.em(), t.deps, 'notion')).toMatchObject({
      mode: 'mock',
      ...testClient('notion'),
    });
    expect((await getIntegration(t.em(), t.deps, 'notion')).mode).toEqual({
      value: 'mock',
      source: 'env',
    });
  });

  it('a stored mode of mock keeps the stored client aside; null clears back to the default', async () => {
    await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'github', clientId: 'gh', clientSecret: SECRET, mode: 'mock' },
      ADMIN,
    );
    expect(await integrationConfig(t.em(), t.deps, 'github')).toMatchObject({
      mode: 'mock',
      ...testClient('github'),
    });
    await upsertIntegration(t.em(), t.deps, { providerId: 'github', mode: null }, ADMIN);
    expect((await integrationConfig(t.em(), t.deps, 'github')).clientId).toBe('gh');
    await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'github', clientId: null, clientSecret: null },
      ADMIN,
    );
    expect((await getIntegration(t.em(), t.deps, 'github')).mode).toEqual({
      value: 'mock',
      source: 'default',
    });
  });

  it('a scopes override replaces the default scopes in the authorization URL', async () => {
    await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'github', scopes: ['read:user', 'repo', 'repo'] },
      ADMIN,
    );
    const { authorizationUrl } = await createAttempt(
      t.em(),
      t.deps,
      {
        externalUserId: 'u1',
        sessionId: null,
        providerId: 'github',
        inputs: {},
        returnTo: null,
        hostRedirectUrl: null,
      },
      null,
    );
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe('read:user repo');
  });
});

describe('refused changes write nothing', () => {
  it.each([
    [{ providerId: 'notion' as const, clientId: 'only-id' }, 'clientSecret'],
    [{ providerId: 'notion' as const, clientSecret: SECRET }, 'clientId'],
    [{ providerId: 'notion' as const, mode: 'live' as const }, 'mode'],
    [{ providerId: 'notion-internal' as const, clientId: 'x', clientSecret: 'y' }, 'clientId'],
    [{ providerId: 'telegram' as const, mode: 'live' as const }, 'mode'],
  ])('%j → VALIDATION_FAILED at %s', async (input, field) => {
    const err = await upsertIntegration(t.em(), t.deps, input, ADMIN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlugboardError);
    expect((err as PlugboardError).code).toBe('VALIDATION_FAILED');
    expect((err as PlugboardError).field).toBe(field);
    expect(await t.em().count(Integration, {})).toBe(0);
    expect(await t.em().count(AuditEntry, {})).toBe(0);
  });

  it('an unknown or not yet connectable provider', async () => {
    const err = await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'nope' as 'notion', enabled: false },
      ADMIN,
    ).catch((e: unknown) => e);
    expect(codeOf(err)).toBe('PROVIDER_UNKNOWN');
  });
});

describe('disable', () => {
  it('refuses new flows with PROVIDER_DISABLED, hides it, keeps its configuration usable', async () => {
    await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'notion', clientId: 'db-client', clientSecret: SECRET },
      ADMIN,
    );
    const dto = await disableIntegration(t.em(), t.deps, 'notion', ADMIN);
    expect(dto.enabled).toEqual({ value: false, source: 'database' });
    expect(dto.clientId).toEqual({ value: 'db-client', source: 'database' });
    expect([...(await disabledProviderIds(t.em()))]).toEqual(['notion']);
    expect(codeOf(await assertProviderEnabled(t.em(), 'notion').catch((e: unknown) => e))).toBe(
      'PROVIDER_DISABLED',
    );
    const started = await createAttempt(
      t.em(),
      t.deps,
      {
        externalUserId: 'u1',
        sessionId: null,
        providerId: 'notion',
        inputs: {},
        returnTo: null,
        hostRedirectUrl: null,
      },
      null,
    ).catch((e: unknown) => e);
    expect(codeOf(started)).toBe('PROVIDER_DISABLED');
    // Refreshes and revokes of existing connections still get the client.
    expect((await integrationConfig(t.em(), t.deps, 'notion')).clientSecret).toBe(SECRET);
    // Disabling again changes nothing and writes no second entry; enabling brings it back.
    await disableIntegration(t.em(), t.deps, 'notion', ADMIN);
    await upsertIntegration(t.em(), t.deps, { providerId: 'notion', enabled: true }, ADMIN);
    await assertProviderEnabled(t.em(), 'notion');
    const audit = await t.em().find(AuditEntry, {}, { orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor, a.targetId, a.detail])).toEqual([
      ['integration.updated', ADMIN, 'notion', { fields: 'clientId clientSecret', enabled: true }],
      ['integration.disabled', ADMIN, 'notion', {}],
      ['integration.updated', ADMIN, 'notion', { fields: 'enabled', enabled: true }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });
});

describe('key rotation', () => {
  it('re-seals stored client secrets with the new key, once', async () => {
    await upsertIntegration(
      t.em(),
      t.deps,
      { providerId: 'notion', clientId: 'db-client', clientSecret: SECRET },
      ADMIN,
    );
    const old = t.deps.keyring;
    const oldSpec = `${old.currentKeyId}:${old.keys.get(old.currentKeyId)!.toString('base64')}`;
    const newSpec = generateKeySpec('k2');
    const rotated = parseKeyring(`${newSpec},${oldSpec}`);
    const stale = (s: string | null | undefined) => s != null && sealedKeyId(s) !== 'k2';
    expect(await resealIntegrationSecrets(t.em(), rotated, stale)).toBe(1);
    expect(await resealIntegrationSecrets(t.em(), rotated, stale)).toBe(0);
    t.deps.keyring = parseKeyring(newSpec);
    expect((await integrationConfig(t.em(), t.deps, 'notion')).clientSecret).toBe(SECRET);
  });
});
