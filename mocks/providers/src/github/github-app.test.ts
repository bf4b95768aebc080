import { describe, expect, it } from 'vitest';
import { useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'github',
  authorizePath: '/login/oauth/authorize',
  tokenPath: '/login/oauth/access_token',
  defaults: { scope: 'read:user user:email' },
});

const api = (path: string, token: string) =>
  fetch(`${flow.base()}${path}`, {
    headers: { authorization: `Bearer ${token}`, 'user-agent': 'plugboard-test' },
  });
const tokenJson = async (body: Record<string, string>) => {
  const res = await flow.postForm('/login/oauth/access_token', body, {
    accept: 'application/json',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};
const refresh = (refreshToken: string) =>
  tokenJson({
    client_id: flow.clientId,
    client_secret: flow.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  });
const asGitHubApp = (expiringUserTokens = true) =>
  flow.mock.control.call('POST', '/github/apps', { clientId: flow.clientId, expiringUserTokens });
const connect = async () => {
  const { callback, verifier } = await flow.authorizeWithPkce();
  return tokenJson({
    client_id: flow.clientId,
    client_secret: flow.clientSecret,
    code: callback.get('code')!,
    code_verifier: verifier,
  });
};
const BAD_REFRESH = { error: 'bad_refresh_token' };

// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
describe('github: a GitHub App with expiring user tokens', () => {
  it('issues 8-hour ghu_ tokens with 6-month ghr_ refresh tokens and no scopes', async () => {
    expect((await asGitHubApp()).status).toBe(200);
    const tokens = await connect();
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^ghu_/),
      expires_in: 28_800,
      refresh_token: expect.stringMatching(/^ghr_/),
      refresh_token_expires_in: 15_897_600,
      scope: '',
      token_type: 'bearer',
    });
    expect((await api('/user', tokens.access_token as string)).status).toBe(200);
    // No "Email addresses" permission: the app cannot list emails.
    expect((await api('/user/emails', tokens.access_token as string)).status).toBe(403);
    await flow.mock.control.advanceClock(28_800);
    expect((await api('/user', tokens.access_token as string)).status).toBe(401);
  });

  it('rotates on refresh: the used refresh token and the old user token stop working', async () => {
    await asGitHubApp();
    const tokens = await connect();
    const refreshed = await refresh(tokens.refresh_token as string);
    expect(refreshed).toMatchObject({ expires_in: 28_800, refresh_token_expires_in: 15_897_600 });
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await api('/user', refreshed.access_token as string)).status).toBe(200);
    expect((await api('/user', tokens.access_token as string)).status).toBe(401);
    // Reused: GitHub answers with HTTP 200 and an error body.
    expect(await refresh(tokens.refresh_token as string)).toMatchObject(BAD_REFRESH);
  });

  it('refuses an expired or unknown refresh token with bad_refresh_token (HTTP 200)', async () => {
    await asGitHubApp();
    const tokens = await connect();
    expect(await refresh('ghr_unknown')).toMatchObject(BAD_REFRESH);
    await flow.mock.control.advanceClock(15_897_600);
    expect(await refresh(tokens.refresh_token as string)).toMatchObject(BAD_REFRESH);
  });

  it('with expiration opted out, issues a ghu_ token that never expires, without refresh', async () => {
    await asGitHubApp(false);
    const tokens = await connect();
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^ghu_/),
      scope: '',
      token_type: 'bearer',
    });
  });

  it('an OAuth App (every client not registered as a GitHub App) cannot refresh', async () => {
    const tokens = await connect();
    expect(tokens.access_token).toMatch(/^gho_/);
    expect(await refresh('ghr_anything')).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
