import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, expectJsonEqual, submitConsent, useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'linear',
  authorizePath: '/oauth/authorize',
  tokenPath: '/oauth/token',
  defaults: { response_type: 'code', scope: 'read,write' },
  endpoints: { revocation_endpoint: '/oauth/revoke' },
});
const post = oauth.ClientSecretPost(flow.clientSecret);
const VIEWER = '{ viewer { id name email } organization { name urlKey } }';

const graphql = (token: string, query = VIEWER) =>
  fetch(`${flow.base()}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
const revoke = (token: string) =>
  fetch(`${flow.base()}/oauth/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });

describe('linear', () => {
  it('connects with PKCE, reads the viewer, refreshes with rotation and revokes', async () => {
    const { callback, verifier } = await flow.authorizeWithPkce();
    const tokens = await flow.exchange(callback, { auth: post, verifier });
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: 86399,
      scope: 'read write',
      refresh_token: expect.any(String),
    });

    const me = await graphql(tokens.access_token);
    await expectJsonEqual(me, 200, {
      data: {
        viewer: {
          id: '2f1e0d1a-0ada-4c0d-9e1a-11ea00000001',
          name: 'Ada Lovelace',
          email: 'ada@acme.example',
        },
        organization: { name: 'Acme', urlKey: 'acme' },
      },
    });

    const refreshed = await flow.refresh(tokens.refresh_token ?? '', post);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await graphql(tokens.access_token)).status).toBe(400);
    await expect(flow.refresh(tokens.refresh_token ?? '', post)).rejects.toThrow();

    expect((await revoke(refreshed.access_token)).status).toBe(200);
    const after = await graphql(refreshed.access_token);
    await expectJson(after, 400, {
      errors: [{ extensions: { code: 'AUTHENTICATION_ERROR' } }],
    });
    expect((await revoke(refreshed.access_token)).status).toBe(400);
    await expect(flow.refresh(refreshed.refresh_token ?? '', post)).rejects.toThrow();
  });

  it('takes client credentials from a form body only', async () => {
    const basic = await flow.codeGrant(await flow.authorize(), {
      auth: oauth.ClientSecretBasic(flow.clientSecret),
    });
    await expectJson(basic, 401, { error: 'invalid_client' });

    const callback = await flow.authorize();
    const json = await fetch(`${flow.base()}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: callback.get('code'),
        redirect_uri: flow.redirectUri,
        client_id: flow.clientId,
        client_secret: flow.clientSecret,
      }),
    });
    await expectJson(json, 400, { error: 'invalid_request' });
  });

  it('requires the redirect URI and a PKCE verifier at the token endpoint, and spends the code', async () => {
    const { callback, verifier } = await flow.authorizeWithPkce();
    const code = callback.get('code') ?? '';
    const noRedirect = await flow.postForm('/oauth/token', {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
    });
    expect(noRedirect.status).toBe(400);
    // The failed attempt spent the code.
    const again = await flow.codeGrant(callback, { auth: post, verifier });
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });

    const wrongVerifier = await flow.codeGrant(
      await flow.authorizeWithPkce().then((r) => r.callback),
      {
        auth: post,
        verifier: oauth.generateRandomCodeVerifier(),
      },
    );
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    ['no scope', { scope: undefined }, 'invalid_scope'],
    ['an unknown scope', { scope: 'read,everything' }, 'invalid_scope'],
    ['another response_type', { response_type: 'token' }, 'unsupported_response_type'],
  ])('redirects back with an error for %s', async (_what, params, error) => {
    const res = await fetch(flow.authorizeUrl(params), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe(error);
  });

  it('shows a page, never a redirect, for an unknown client or redirect URI', async () => {
    for (const params of [{ client_id: 'nobody' }, { redirect_uri: 'http://evil.test/cb' }]) {
      const res = await fetch(flow.authorizeUrl(params), { redirect: 'manual' });
      expect(res.status).toBe(400);
    }
  });

  it('denies with access_denied', async () => {
    const denied = await submitConsent(flow.authorizeUrl(), 'Deny');
    expect(new URL(denied.location ?? '').searchParams.get('error')).toBe('access_denied');
  });

  it('answers GraphQL errors for fields it does not have, and for no token', async () => {
    const tokens = await flow.exchange(await flow.authorize(), { auth: post });
    const unknown = await graphql(tokens.access_token, '{ viewer { id password } }');
    await expectJsonEqual(unknown, 400, {
      errors: [{ message: 'Cannot query field "password" on type "User".' }],
    });
    const anonymous = await fetch(`${flow.base()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(await anonymous.json()).toMatchObject({
      errors: [{ message: 'Authentication required, not authenticated' }],
    });
  });
});
