import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'hubspot',
  authorizePath: '/oauth/authorize',
  tokenPath: '/oauth/v1/token',
  defaults: { scope: 'crm.objects.contacts.read oauth' },
});

async function exchange(callback: URLSearchParams) {
  return flow.exchange(callback, { auth: oauth.ClientSecretPost(flow.clientSecret) });
}

const refresh = (refreshToken: string) =>
  flow.postForm('/oauth/v1/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: flow.clientId,
    client_secret: flow.clientSecret,
  });
const info = (token: string) =>
  fetch(`${flow.base()}/oauth/v1/access-tokens/${encodeURIComponent(token)}`);

describe('hubspot', () => {
  it('connects, reads token info, refreshes without rotation, revokes the refresh token', async () => {
    const tokens = await exchange(await flow.authorize());
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800 });

    const details = await info(tokens.access_token);
    await expectJson(details, 200, {
      user: 'ada@acme.example',
      hub_id: 4000001,
      hub_domain: 'acme.example',
      scopes: ['crm.objects.contacts.read', 'oauth'],
      user_id: 2000001,
      token_type: 'access',
      expires_in: expect.any(Number),
    });

    const refreshed = await refresh(tokens.refresh_token ?? '');
    const body = (await refreshed.json()) as { refresh_token: string; access_token: string };
    // HubSpot refresh tokens do not rotate.
    expect(body.refresh_token).toBe(tokens.refresh_token);
    expect(body.access_token).not.toBe(tokens.access_token);
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(200);

    const deleted = await fetch(
      `${flow.base()}/oauth/v1/refresh-tokens/${encodeURIComponent(tokens.refresh_token ?? '')}`,
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(204);
    const after = await refresh(tokens.refresh_token ?? '');
    await expectJson(after, 400, { status: 'BAD_REFRESH_TOKEN' });

    // Token paths are logged as patterns: no token in the request log.
    const logged = JSON.stringify(await flow.mock.control.requests({ provider: 'hubspot' }));
    expect(logged).not.toContain(tokens.access_token);
    expect(logged).not.toContain(tokens.refresh_token);
  });

  it('takes client credentials from the body only', async () => {
    const response = await flow.codeGrant(await flow.authorize());
    await expectJson(response, 400, { status: 'BAD_CLIENT_ID' });
  });

  it('rejects a reused code, a wrong secret and a different redirect URI', async () => {
    const callback = await flow.authorize();
    await exchange(callback);
    const body = {
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: flow.redirectUri,
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
    };
    const reused = await flow.postForm('/oauth/v1/token', body);
    await expectJson(reused, 400, { status: 'BAD_AUTH_CODE' });

    const wrong = await flow.postForm('/oauth/v1/token', {
      ...body,
      code: (await flow.authorize()).get('code') ?? '',
      client_secret: 'nope',
    });
    expect(await wrong.json()).toMatchObject({ status: 'BAD_CLIENT_SECRET' });

    const redirect = await flow.postForm('/oauth/v1/token', {
      ...body,
      code: (await flow.authorize()).get('code') ?? '',
      redirect_uri: 'http://app.test/other',
    });
    expect(await redirect.json()).toMatchObject({ status: 'MISMATCH_REDIRECT_URI_AUTH_CODE' });
  });

  it('expires access tokens after 30 minutes', async () => {
    const tokens = await exchange(await flow.authorize());
    await flow.mock.control.advanceClock(1800);
    const api = await fetch(`${flow.base()}/account-info/v3/details`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    await expectJson(api, 401, { status: 'error', category: 'EXPIRED_AUTHENTICATION' });
    expect((await info(tokens.access_token)).status).toBe(401);
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(200);
  });

  it('requires a scope and shows a HubSpot consent page', async () => {
    const noScope = await fetch(flow.authorizeUrl({ scope: undefined }), { redirect: 'manual' });
    expect(noScope.status).toBe(400);
    const html = await (
      await fetch(flow.authorizeUrl({ optional_scope: 'crm.lists.read' }))
    ).text();
    expect(html).toContain('HubSpot');
    expect(html).toContain('#ff7a59');
    expect(html).toContain('4000001');
  });
});
