import { createHmac } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJsonEqual, useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'salesforce',
  authorizePath: '/services/oauth2/authorize',
  tokenPath: '/services/oauth2/token',
  defaults: { response_type: 'code' },
});

async function exchange(callback: URLSearchParams, verifier: string | typeof oauth.nopkce) {
  return flow.exchange(callback, { auth: oauth.ClientSecretPost(flow.clientSecret), verifier });
}

const bearer = (path: string, token: string) =>
  fetch(`${flow.base()}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('salesforce', () => {
  it('connects with PKCE, checks the signature, reads identity, refreshes and revokes', async () => {
    const { callback, verifier } = await flow.authorizeWithPkce();
    const tokens = await exchange(callback, verifier);
    const id = `${flow.base()}/id/00DAC000000ACME001/005AC000000ADA0001`;
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      instance_url: flow.base(),
      id,
      scope: 'api refresh_token id',
      issued_at: expect.stringMatching(/^\d{13}$/),
    });
    const expected = createHmac('sha256', flow.clientSecret)
      .update(id + String(tokens.issued_at))
      .digest('base64');
    expect(tokens.signature).toBe(expected);
    expect(tokens.expires_in).toBeUndefined();

    const userinfo = await bearer('/services/oauth2/userinfo', tokens.access_token);
    expect(await userinfo.json()).toMatchObject({
      sub: id,
      user_id: '005AC000000ADA0001',
      organization_id: '00DAC000000ACME001',
      email: 'ada@acme.example',
    });
    const identity = await bearer(
      new URL(id).pathname.replace('/salesforce', ''),
      tokens.access_token,
    );
    expect(await identity.json()).toMatchObject({
      id,
      username: 'ada@acme.example',
      display_name: 'Ada Lovelace',
    });

    const refreshed = await flow.refresh(tokens.refresh_token ?? '');
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed.instance_url).toBe(flow.base());

    const revoke = await flow.postForm('/services/oauth2/revoke', {
      token: tokens.refresh_token ?? '',
    });
    expect(revoke.status).toBe(200);
    const after = await bearer('/services/oauth2/userinfo', refreshed.access_token);
    expect(after.status).toBe(403);
    expect(await after.text()).toBe('Bad_OAuth_Token');
    const again = await flow.postForm('/services/oauth2/revoke', {
      token: tokens.refresh_token ?? '',
    });
    expect(await again.json()).toMatchObject({ error: 'unsupported_token_type' });
  });

  it('issues no refresh token when the scope lacks refresh_token', async () => {
    const tokens = await exchange(await flow.authorize({ scope: 'api id' }), oauth.nopkce);
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('rejects a wrong secret, a PKCE mismatch, a reused code and a bad redirect URI', async () => {
    const grant = (code: string, extra: Record<string, string> = {}) => ({
      grant_type: 'authorization_code',
      code,
      redirect_uri: flow.redirectUri,
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
      ...extra,
    });
    const code = async () => (await flow.authorize()).get('code') ?? '';
    const token = (body: Record<string, string>) => flow.postForm('/services/oauth2/token', body);

    const wrong = await token(grant(await code(), { client_secret: 'nope' }));
    await expectJsonEqual(wrong, 400, {
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });

    const unknown = await token(grant(await code(), { client_id: 'nobody' }));
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client_id' });

    const { callback } = await flow.authorizeWithPkce();
    const pkce = await token(
      grant(callback.get('code') ?? '', { code_verifier: oauth.generateRandomCodeVerifier() }),
    );
    expect(await pkce.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'invalid code verifier',
    });

    const once = await code();
    expect((await token(grant(once))).status).toBe(200);
    expect(await (await token(grant(once))).json()).toMatchObject({ error: 'invalid_grant' });

    const redirect = await token(grant(await code(), { redirect_uri: 'http://app.test/other' }));
    expect(await redirect.json()).toMatchObject({ error: 'redirect_uri_mismatch' });
  });

  it('ends sessions after two hours on the mock clock', async () => {
    const tokens = await exchange(await flow.authorize(), oauth.nopkce);
    await flow.mock.control.advanceClock(7200);
    expect((await bearer('/services/oauth2/userinfo', tokens.access_token)).status).toBe(403);
  });

  it('redirects a bad response_type and denial; pages for untrusted clients', async () => {
    const bad = await fetch(flow.authorizeUrl({ response_type: 'token' }), { redirect: 'manual' });
    expect(new URL(bad.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
    const unknown = await fetch(flow.authorizeUrl({ client_id: 'nobody' }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
    const html = await (
      await fetch(flow.authorizeUrl({ prompt: 'login', display: 'page' }))
    ).text();
    expect(html).toContain('Salesforce');
    expect(html).toContain('#0176d3');
  });
});
