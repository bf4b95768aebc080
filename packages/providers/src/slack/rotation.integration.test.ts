import type { PlugboardError } from '@plugboard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import { oauth2Mode } from '../modes/oauth2';
import { startMockHarness, type MockHarness } from '../modes/oauth2/mock-harness';

// Against the mock's Slack (mocks/providers/src/slack/rotation.ts): token rotation is an app
// setting at Slack (https://docs.slack.dev/authentication/using-token-rotation).
const slack = getProvider('slack');
let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

const withRotation = {
  before: (config: { clientId: string }) =>
    mock.control('POST', '/slack/apps', { clientId: config.clientId, tokenRotation: true }),
};

describe('Slack token rotation', () => {
  it('stores the expiring user token with its refresh token and refreshes it', async () => {
    const started = Date.now();
    const { credentials, ctx, account } = await mock.connect(slack, withRotation);
    expect(account.accountId).toBe('T0ACME00001:U0ADA000001');
    expect(credentials.accessToken).toMatch(/^xoxe\.xoxp-/);
    expect(credentials.refreshToken).toMatch(/^xoxe-1-/);
    const lifetime = credentials.expiresAt!.getTime() - started;
    expect(lifetime).toBeGreaterThan(43_200_000 - 5000);
    expect(lifetime).toBeLessThanOrEqual(43_200_000 + 5000);

    const refreshed = await oauth2Mode.refresh(slack, credentials, ctx);
    expect(refreshed.accessToken).toMatch(/^xoxe\.xoxp-/);
    expect(refreshed.refreshToken).toMatch(/^xoxe-1-/);
    expect(refreshed.refreshToken).not.toBe(credentials.refreshToken);
    expect(refreshed.expiresAt).not.toBeNull();
    // The new token is the user's, and works.
    const me = await oauth2Mode.identity(slack, refreshed, { http: ctx.http, config: ctx.config });
    expect(me.accountId).toBe(account.accountId);
    // Slack revoked the used refresh token: reusing it means the grant must be renewed.
    const reused = await oauth2Mode.refresh(slack, credentials, ctx).catch((e: unknown) => e);
    expect((reused as PlugboardError).code).toBe('GRANT_INVALID');
  });

  it('without rotation keeps the non-expiring user token, with nothing to refresh', async () => {
    const { credentials } = await mock.connect(slack);
    expect(credentials.accessToken).toMatch(/^xoxp-/);
    expect(credentials).toMatchObject({ refreshToken: null, expiresAt: null });
    expect(oauth2Mode.refreshable(credentials)).toBe(false);
  });
});
