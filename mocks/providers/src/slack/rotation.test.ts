import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'slack',
  authorizePath: '/oauth/v2/authorize',
  tokenPath: '/api/oauth.v2.access',
  defaults: { scope: 'channels:read', user_scope: 'identity.basic' },
});

type Answer = Record<string, unknown> & {
  ok: boolean;
  access_token?: string;
  refresh_token?: string;
  authed_user?: { access_token?: string; refresh_token?: string; expires_in?: number };
};
const install = async () => {
  const response = await flow.codeGrant(await flow.authorize(), {
    auth: oauth.ClientSecretPost(flow.clientSecret),
  });
  return (await response.json()) as Answer;
};
const refresh = async (refreshToken: string) =>
  (await (
    await flow.postForm('/api/oauth.v2.access', {
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
  ).json()) as Answer;
const authTest = async (token: string) =>
  (await (
    await flow.postForm('/api/auth.test', {}, { authorization: `Bearer ${token}` })
  ).json()) as { ok: boolean; error?: string };
const enableRotation = () =>
  flow.mock.control.call('POST', '/slack/apps', { clientId: flow.clientId, tokenRotation: true });

// https://docs.slack.dev/authentication/using-token-rotation
describe('slack token rotation', () => {
  it('gives the bot and the user token each a 12-hour xoxe token and its own refresh token', async () => {
    expect((await enableRotation()).status).toBe(200);
    const tokens = await install();
    expect(tokens).toMatchObject({
      ok: true,
      token_type: 'bot',
      access_token: expect.stringMatching(/^xoxe\.xoxb-/),
      refresh_token: expect.stringMatching(/^xoxe-1-/),
      expires_in: 43_200,
      authed_user: {
        token_type: 'user',
        access_token: expect.stringMatching(/^xoxe\.xoxp-/),
        refresh_token: expect.stringMatching(/^xoxe-1-/),
        expires_in: 43_200,
      },
    });
    expect(tokens.refresh_token).not.toBe(tokens.authed_user?.refresh_token);
    expect((await authTest(tokens.access_token!)).ok).toBe(true);
    await flow.mock.control.advanceClock(43_200);
    expect(await authTest(tokens.access_token!)).toEqual({ ok: false, error: 'token_expired' });
  });

  it('refreshes each token with its own refresh token, which then stops working', async () => {
    await enableRotation();
    const tokens = await install();
    const user = await refresh(tokens.authed_user!.refresh_token!);
    expect(user).toMatchObject({
      ok: true,
      token_type: 'user',
      access_token: expect.stringMatching(/^xoxe\.xoxp-/),
      refresh_token: expect.stringMatching(/^xoxe-1-/),
      expires_in: 43_200,
    });
    expect((await authTest(user.access_token!)).ok).toBe(true);
    const bot = await refresh(tokens.refresh_token!);
    expect(bot).toMatchObject({ ok: true, token_type: 'bot', bot_user_id: expect.any(String) });
    expect(await refresh(tokens.authed_user!.refresh_token!)).toEqual({
      ok: false,
      error: 'invalid_refresh_token',
    });
  });

  it('without rotation the tokens never expire and a refresh is refused', async () => {
    const tokens = await install();
    expect(tokens.access_token).toMatch(/^xoxb-/);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.authed_user?.refresh_token).toBeUndefined();
    expect(await refresh('xoxe-1-anything')).toEqual({ ok: false, error: 'invalid_refresh_token' });
  });
});
