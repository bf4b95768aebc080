/**
 * HubSpot's dated OAuth API (2026-03) and the v1 endpoints it replaces
 * (https://developers.hubspot.com/changelog/v1-oauth-api-deprecation,
 * https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide).
 */
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, expectJsonEqual, useOAuthFlow } from '../testing/harness';

const TOKEN = '/oauth/2026-03/token';
const flow = useOAuthFlow({
  provider: 'hubspot',
  authorizePath: '/oauth/authorize',
  tokenPath: TOKEN,
  defaults: { scope: 'crm.objects.contacts.read oauth' },
});

const exchange = async (callback: URLSearchParams) =>
  flow.exchange(callback, { auth: oauth.ClientSecretPost(flow.clientSecret) });

/** A dated-API call: every parameter in the form body, none in the path or query. */
const call = (path: string, body: Record<string, string>) =>
  flow.postForm(`/oauth/2026-03/token${path}`, {
    client_id: flow.clientId,
    client_secret: flow.clientSecret,
    ...body,
  });

describe('hubspot 2026-03 OAuth API', () => {
  it('exchanges, introspects, refreshes and revokes with everything in the body', async () => {
    const tokens = await exchange(await flow.authorize());
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800 });

    const access = await call('/introspect', {
      token: tokens.access_token,
      token_type_hint: 'access_token',
    });
    await expectJson(access, 200, {
      active: true,
      token_use: 'access_token',
      hub_id: 4000001,
      user_id: 2000001,
      user: 'ada@acme.example',
      hub_domain: 'acme.example',
      client_id: flow.clientId,
      scopes: ['crm.objects.contacts.read', 'oauth'],
      expires_in: expect.any(Number),
    });
    const refresh = await call('/introspect', {
      token: tokens.refresh_token ?? '',
      token_type_hint: 'refresh_token',
    });
    await expectJson(refresh, 200, { active: true, token_use: 'refresh_token', hub_id: 4000001 });

    const refreshed = await call('', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    await expectJson(refreshed, 200, { refresh_token: tokens.refresh_token });

    const revoked = await call('/revoke', {
      token: tokens.refresh_token ?? '',
      token_type_hint: 'refresh_token',
    });
    expect(revoked.status).toBe(200);
    await expectJsonEqual(await call('/introspect', { token: tokens.access_token }), 200, {
      active: false,
    });
    // Nothing secret was put in a path.
    const logged = JSON.stringify(await flow.mock.control.requests({ provider: 'hubspot' }));
    expect(logged).not.toContain(tokens.access_token);
    expect(logged).not.toContain(tokens.refresh_token);
  });

  it('answers RFC 6749 error bodies, with HubSpot status and message beside them', async () => {
    const callback = await flow.authorize();
    await exchange(callback);
    const reused = await call('', {
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: flow.redirectUri,
    });
    await expectJson(reused, 400, {
      error: 'invalid_grant',
      error_description: expect.any(String),
      status: 'BAD_AUTH_CODE',
      message: expect.any(String),
    });
    const badRefresh = await call('', { grant_type: 'refresh_token', refresh_token: 'nope' });
    await expectJson(badRefresh, 400, { error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' });
    const badSecret = await call('', {
      grant_type: 'refresh_token',
      refresh_token: 'nope',
      client_secret: 'wrong',
    });
    await expectJson(badSecret, 400, { error: 'invalid_client', status: 'BAD_CLIENT_SECRET' });
    const badGrant = await call('', { grant_type: 'password' });
    await expectJson(badGrant, 400, { error: 'unsupported_grant_type' });
    const noSecretIntrospect = await flow.postForm('/oauth/2026-03/token/introspect', {
      token: 'x',
      client_id: flow.clientId,
    });
    await expectJson(noSecretIntrospect, 400, { error: 'invalid_client' });
  });

  // Client code still on v1 finds out: every v1 answer says it is deprecated and when it ends.
  it('answers on the v1 endpoints as deprecated, with the sunset date', async () => {
    const callback = await flow.authorize();
    const v1 = await flow.postForm('/oauth/v1/token', {
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: flow.redirectUri,
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
    });
    expect(v1.status).toBe(200);
    expect(v1.headers.get('deprecation')).toEqual(expect.any(String));
    expect(v1.headers.get('sunset')).toBe('Tue, 16 Feb 2027 00:00:00 GMT');
    const { access_token: token } = (await v1.json()) as { access_token: string };
    const info = await fetch(`${flow.base()}/oauth/v1/access-tokens/${token}`);
    expect(info.headers.get('sunset')).toBe('Tue, 16 Feb 2027 00:00:00 GMT');
    const dated = await call('/introspect', { token });
    expect(dated.headers.get('sunset')).toBeNull();
  });
});
