import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJsonEqual, useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'slack',
  authorizePath: '/oauth/v2/authorize',
  tokenPath: '/api/oauth.v2.access',
  defaults: { scope: 'channels:read,chat:write', user_scope: 'identity.basic' },
});

/** oauth4webapi sends the request; Slack's body is not RFC 6749, so it is read as JSON. */
async function exchange(
  callback: URLSearchParams,
  auth = oauth.ClientSecretPost(flow.clientSecret),
) {
  const response = await flow.codeGrant(callback, { auth: auth });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown> & {
    ok: boolean;
    access_token?: string;
    authed_user?: { id: string; access_token?: string };
  };
}

const call = (method: string, token: string, body: Record<string, string> = {}) =>
  flow
    .postForm(`/api/${method}`, body, { authorization: `Bearer ${token}` })
    .then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

describe('slack', () => {
  it('installs with bot and user tokens, checks both with auth.test, revokes', async () => {
    const tokens = await exchange(await flow.authorize());
    expect(tokens).toMatchObject({
      ok: true,
      token_type: 'bot',
      scope: 'channels:read,chat:write',
      bot_user_id: expect.stringMatching(/^U/),
      app_id: expect.stringMatching(/^A/),
      team: { id: 'T0ACME00001', name: 'Acme' },
      authed_user: { id: 'U0ADA000001', scope: 'identity.basic', token_type: 'user' },
    });
    const bot = tokens.access_token ?? '';
    const user = tokens.authed_user?.access_token ?? '';
    expect(bot).toMatch(/^xoxb-/);
    expect(user).toMatch(/^xoxp-/);

    expect(await call('auth.test', bot)).toMatchObject({
      status: 200,
      body: {
        ok: true,
        team_id: 'T0ACME00001',
        user_id: tokens.bot_user_id,
        bot_id: expect.any(String),
      },
    });
    expect((await call('auth.test', user)).body).toMatchObject({
      ok: true,
      user_id: 'U0ADA000001',
      user: 'ada',
    });

    expect((await call('auth.revoke', bot, { test: 'true' })).body).toEqual({
      ok: true,
      revoked: false,
    });
    expect((await call('auth.revoke', bot)).body).toEqual({ ok: true, revoked: true });
    expect(await call('auth.test', bot)).toEqual({
      status: 200,
      body: { ok: false, error: 'token_revoked' },
    });
    // The user token is a separate grant.
    expect((await call('auth.test', user)).body).toMatchObject({ ok: true });
  });

  it('accepts HTTP Basic client authentication too', async () => {
    const tokens = await exchange(
      await flow.authorize(),
      oauth.ClientSecretBasic(flow.clientSecret),
    );
    expect(tokens.ok).toBe(true);
  });

  it('returns only the user token when no bot scope was asked for', async () => {
    const tokens = await exchange(await flow.authorize({ scope: undefined }));
    expect(tokens.access_token).toBeUndefined();
    expect(tokens.authed_user?.access_token).toMatch(/^xoxp-/);
  });

  it('fails with ok:false and HTTP 200, like Slack', async () => {
    const callback = await flow.authorize();
    await exchange(callback);
    const body = {
      code: callback.get('code') ?? '',
      redirect_uri: flow.redirectUri,
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
    };
    const reused = await flow.postForm('/api/oauth.v2.access', body);
    await expectJsonEqual(reused, 200, { ok: false, error: 'invalid_code' });

    const fresh = (await flow.authorize()).get('code') ?? '';
    const wrong = await flow.postForm('/api/oauth.v2.access', {
      ...body,
      code: fresh,
      client_secret: 'x',
    });
    expect(await wrong.json()).toEqual({ ok: false, error: 'bad_client_secret' });

    const fresh2 = (await flow.authorize()).get('code') ?? '';
    const redirect = await flow.postForm('/api/oauth.v2.access', {
      ...body,
      code: fresh2,
      redirect_uri: 'http://app.test/other',
    });
    expect(await redirect.json()).toEqual({ ok: false, error: 'bad_redirect_uri' });

    expect(await call('auth.test', 'xoxb-nope')).toEqual({
      status: 200,
      body: { ok: false, error: 'invalid_auth' },
    });
  });

  it('expires codes after ten minutes', async () => {
    const code = (await flow.authorize()).get('code') ?? '';
    await flow.mock.control.advanceClock(601);
    const response = await flow.postForm('/api/oauth.v2.access', {
      code,
      redirect_uri: flow.redirectUri,
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
    });
    expect(await response.json()).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('shows a Slack consent page with the workspace; error pages for bad clients', async () => {
    const html = await (await fetch(flow.authorizeUrl({ team: 'T0ACME00001' }))).text();
    expect(html).toContain('Slack');
    expect(html).toContain('#4a154b');
    expect(html).toContain('acme.slack.com');
    const bad = await fetch(flow.authorizeUrl({ redirect_uri: 'http://evil.test/' }), {
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
  });
});
