import type { PlugboardError } from '@plugboard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import { oauth2Mode } from '../modes/oauth2';
import { startMockHarness, type MockHarness } from '../modes/oauth2/mock-harness';

// Against the mock's Salesforce (mocks/providers/src/salesforce): sessions last 7200 s there.
const salesforce = getProvider('salesforce');
let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

const near = (at: Date | null, expected: number) => {
  expect(at).not.toBeNull();
  expect(Math.abs(at!.getTime() - expected)).toBeLessThan(10_000);
};

describe('Salesforce against the mock', () => {
  it('learns the expiry from introspection, at connect and after a refresh', async () => {
    const { credentials, ctx } = await mock.connect(salesforce);
    expect(credentials.raw.expires_in).toBeUndefined();
    near(credentials.expiresAt, Date.now() + 7200_000);
    const refreshed = await oauth2Mode.refresh(salesforce, credentials, ctx);
    near(refreshed.expiresAt, Date.now() + 7200_000);
    // Without rotation the refresh token stays.
    expect(refreshed.refreshToken).toBe(credentials.refreshToken);
    const introspections = (await (
      await mock.control('GET', '/requests?provider=salesforce&endpoint=introspect')
    ).json()) as { requests: { status: number }[] };
    expect(introspections.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('stores the rotated refresh token where the org turned rotation on', async () => {
    const { credentials, ctx } = await mock.connect(salesforce, {
      before: (config) =>
        mock.control('POST', '/salesforce/apps', {
          clientId: config.clientId,
          rotateRefreshTokens: true,
        }),
    });
    const refreshed = await oauth2Mode.refresh(salesforce, credentials, ctx);
    expect(refreshed.refreshToken).toBeTruthy();
    expect(refreshed.refreshToken).not.toBe(credentials.refreshToken);
    const reused = await oauth2Mode.refresh(salesforce, credentials, ctx).catch((e: unknown) => e);
    expect((reused as PlugboardError).code).toBe('GRANT_INVALID');
    expect((await oauth2Mode.refresh(salesforce, refreshed, ctx)).accessToken).toBeTruthy();
  });
});
