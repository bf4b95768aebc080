import { createHmac } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, expectJsonEqual, useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'salesforce',
  authorizePath: '/services/oauth2/authorize',
  tokenPath: '/services/oauth2/token',
  defaults: { response_type: 'code' },
});

async function exchange(callback: URLSearchParams, verifier: string | typeof oauth.nopkce) {
  return flow.exchange(callback, { auth: oauth.ClientSecretPost(flow.clientSecret), verifier });
}

/** The apps Plugboard registers require PKCE, so every flow here sends an S256 challenge. */
const connect = async (params: Record<string, string> = {}) => {
  const { callback, verifier } = await flow.authorizeWithPkce(params);
  return exchange(callback, verifier);
};

/** `/services/oauth2/introspect` with the app's credentials in the body. */
const introspect = (token: string, secret = flow.clientSecret) =>
  flow.postForm('/services/oauth2/introspect', {
    token,
    client_id: flow.clientId,
    client_secret: secret,
  });

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

  // https://help.salesforce.com/s/articleView?id=005316703&type=1: PKCE is required for
  // Salesforce client apps; such an app refuses an authorize request without a challenge.
  it('refuses an authorize request without a PKCE challenge', async () => {
    const response = await fetch(flow.authorizeUrl(), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(flow.redirectUri);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'missing required code challenge',
      state: 'state-123',
    });
  });

  // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oidc_token_introspection_endpoint.htm&type=5:
  // the token response has no expires_in; introspection tells a token's expiry.
  it('introspects access and refresh tokens, with the session expiry', async () => {
    const tokens = await connect();
    const id = `${flow.base()}/id/00DAC000000ACME001/005AC000000ADA0001`;
    const access = await introspect(tokens.access_token);
    const body = (await access.json()) as Record<string, number>;
    expect(body).toMatchObject({
      active: true,
      scope: 'api refresh_token id',
      client_id: flow.clientId,
      username: 'ada@acme.example',
      sub: id,
      token_type: 'access_token',
    });
    expect(body.exp).toBe((body.iat ?? 0) + 7200);
    expect(body.nbf).toBe(body.iat);
    await expectJson(await introspect(tokens.refresh_token ?? ''), 200, {
      active: true,
      token_type: 'refresh_token',
    });
    await expectJsonEqual(await introspect('00D!unknown'), 200, { active: false });
    await expectJson(await introspect(tokens.access_token, 'nope'), 400, {
      error: 'invalid_client',
    });
    await flow.mock.control.advanceClock(7200);
    await expectJsonEqual(await introspect(tokens.access_token), 200, { active: false });
  });

  // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm&type=5:
  // with the openid scope the token response carries a signed id_token.
  it('issues a signed id_token for the openid scope, verifiable with /id/keys', async () => {
    const tokens = await connect({ scope: 'openid api refresh_token' });
    const id = `${flow.base()}/id/00DAC000000ACME001/005AC000000ADA0001`;
    const { payload, protectedHeader } = await jwtVerify(
      tokens.id_token ?? '',
      createRemoteJWKSet(new URL(`${flow.base()}/id/keys`)),
      { issuer: flow.base(), audience: flow.clientId },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: id, at_hash: expect.any(String) });
    expect((await connect()).id_token).toBeUndefined();
  });

  it('issues no refresh token when the scope lacks refresh_token', async () => {
    const tokens = await connect({ scope: 'api id' });
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
    let verifier = '';
    const code = async () => {
      const started = await flow.authorizeWithPkce();
      verifier = started.verifier;
      return started.callback.get('code') ?? '';
    };
    const token = (body: Record<string, string>) =>
      flow.postForm('/services/oauth2/token', { code_verifier: verifier, ...body });

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
    const tokens = await connect();
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
    const challenge = await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier());
    const html = await (
      await fetch(
        flow.authorizeUrl({
          prompt: 'login',
          display: 'page',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      )
    ).text();
    expect(html).toContain('Salesforce');
    expect(html).toContain('#0176d3');
  });
});
