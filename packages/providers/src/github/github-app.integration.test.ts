import { PlugboardError } from '@plugboard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import { oauth2Mode } from '../modes/oauth2';
import { startMockHarness, type MockHarness } from '../modes/oauth2/mock-harness';

// Against the mock's GitHub (mocks/providers/src/github/github-app.ts) with a GitHub App client.
const github = getProvider('github');
let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

const asGitHubApp = (expiringUserTokens: boolean) => ({
  clientId: 'Iv23conformance',
  before: (config: { clientId: string }) =>
    mock.control('POST', '/github/apps', { clientId: config.clientId, expiringUserTokens }),
});

describe('GitHub with a GitHub App', () => {
  it('connects with an 8-hour user token and a refresh token, identified without scopes', async () => {
    const started = Date.now();
    const { credentials, account } = await mock.connect(github, asGitHubApp(true));
    expect(credentials.accessToken).toMatch(/^ghu_/);
    expect(credentials.refreshToken).toMatch(/^ghr_/);
    expect(credentials.scopes).toEqual([]);
    expect(credentials.expiresAt!.getTime() - started).toBeGreaterThanOrEqual(28_800_000 - 5000);
    expect(credentials.expiresAt!.getTime() - started).toBeLessThanOrEqual(28_800_000 + 5000);
    expect(account).toMatchObject({ accountId: '1000001', label: 'ada-lovelace' });
  });

  it('refreshes with rotation; the rotated-out refresh token is bad_refresh_token → GRANT_INVALID', async () => {
    const { credentials, ctx } = await mock.connect(github, asGitHubApp(true));
    const refreshed = await oauth2Mode.refresh(github, credentials, ctx);
    expect(refreshed.refreshToken).toMatch(/^ghr_/);
    expect(refreshed.refreshToken).not.toBe(credentials.refreshToken);
    expect(refreshed.expiresAt).not.toBeNull();
    const reused = await oauth2Mode.refresh(github, credentials, ctx).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(PlugboardError);
    expect((reused as PlugboardError).code).toBe('GRANT_INVALID');
    // Revoking works for GitHub App tokens too.
    expect(await oauth2Mode.revoke(github, refreshed, ctx)).toBe(true);
  });

  it('with expiration opted out, the token never expires and is not refreshable', async () => {
    const { credentials } = await mock.connect(github, asGitHubApp(false));
    expect(credentials).toMatchObject({ refreshToken: null, expiresAt: null, scopes: [] });
    expect(oauth2Mode.refreshable(credentials)).toBe(false);
  });
});
