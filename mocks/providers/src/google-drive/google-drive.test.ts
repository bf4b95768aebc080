import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, expectJsonEqual, insecure, useOAuthFlow } from '../testing/harness';
import { expectErrorPage } from '../testing/harness';

const DRIVE = 'https://www.googleapis.com/auth/drive.file';
const flow = useOAuthFlow({
  provider: 'google-drive',
  authorizePath: '/o/oauth2/v2/auth',
  tokenPath: '/token',
  defaults: { response_type: 'code', scope: `openid email profile ${DRIVE}` },
});

const as = () =>
  flow.as({
    userinfo_endpoint: `${flow.base()}/oauth2/v3/userinfo`,
    revocation_endpoint: `${flow.base()}/revoke`,
    jwks_uri: `${flow.base()}/oauth2/v3/certs`,
  });

const exchange = (callback: URLSearchParams, verifier: string | typeof oauth.nopkce) =>
  flow.exchange(callback, { auth: oauth.ClientSecretPost(flow.clientSecret), verifier });

const userinfo = (token: string) =>
  fetch(`${flow.base()}/oauth2/v3/userinfo`, { headers: { authorization: `Bearer ${token}` } });

describe('google-drive', () => {
  it('offline access: signed id_token, userinfo, refresh without rotation, revoke', async () => {
    const { callback, verifier } = await flow.authorizeWithPkce({ access_type: 'offline' });
    const tokens = await exchange(callback, verifier);
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: 3599,
      scope: `openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile ${DRIVE}`,
    });
    expect(tokens.refresh_token).toMatch(/^1\/\//);

    // The id_token verifies against the served JWKS, independently of oauth4webapi.
    const { payload, protectedHeader } = await jwtVerify(
      tokens.id_token ?? '',
      createRemoteJWKSet(new URL(`${flow.base()}/oauth2/v3/certs`)),
      { issuer: flow.base(), audience: flow.clientId },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: '108000000000000000001',
      azp: flow.clientId,
      email: 'ada@acme.example',
      email_verified: true,
      name: 'Ada Lovelace',
      hd: 'acme.example',
    });
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe('108000000000000000001');

    const info = await oauth.processUserInfoResponse(
      as(),
      flow.client,
      '108000000000000000001',
      await oauth.userInfoRequest(as(), flow.client, tokens.access_token, insecure),
    );
    expect(info).toMatchObject({ email: 'ada@acme.example', given_name: 'Ada' });

    const refreshed = await flow.refresh(tokens.refresh_token ?? '');
    // Google keeps the refresh token and does not send it again.
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed.id_token).toEqual(expect.any(String));
    expect((await userinfo(refreshed.access_token)).status).toBe(200);

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(
        as(),
        flow.client,
        oauth.ClientSecretPost(flow.clientSecret),
        tokens.refresh_token ?? '',
        insecure,
      ),
    );
    const after = await userinfo(refreshed.access_token);
    await expectJsonEqual(after, 401, {
      error: 'invalid_request',
      error_description: 'Invalid Credentials',
    });
    const refreshAgain = await flow.postForm('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
    });
    await expectJsonEqual(refreshAgain, 400, {
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
  });

  // https://developers.google.com/identity/protocols/oauth2/web-server#offline: the refresh token
  // comes with the first exchange after the user consents; a later authorization the user already
  // consented to returns none, unless it asks for the consent screen again with prompt=consent.
  it('issues a refresh token only on the first consent unless prompt=consent', async () => {
    const offline = async (params: Record<string, string> = {}) =>
      exchange(await flow.authorize({ access_type: 'offline', ...params }), oauth.nopkce);
    const first = await offline();
    expect(first.refresh_token).toMatch(/^1\/\//);
    // A client that expects a refresh token on every connect gets none here.
    const again = await offline();
    expect(again.refresh_token).toBeUndefined();
    expect((await userinfo(again.access_token)).status).toBe(200);
    const forced = await offline({ prompt: 'consent' });
    expect(forced.refresh_token).toMatch(/^1\/\//);
    expect(forced.refresh_token).not.toBe(first.refresh_token);
    // Both refresh tokens stay usable: a new one does not retire the old.
    expect((await flow.refresh(first.refresh_token ?? '')).access_token).toMatch(/^ya29\./);

    // Once the user's grant is revoked, the next consent is a first consent again.
    for (const token of [first.refresh_token, forced.refresh_token]) {
      await flow.postForm('/revoke', { token: token ?? '' });
    }
    expect((await offline()).refresh_token).toMatch(/^1\/\//);
  });

  // Refreshing issues a new access token; the previous one keeps working until it expires
  // (https://developers.google.com/identity/protocols/oauth2#expiration names only expiry and
  // revocation as its end).
  it('keeps the previous access token valid after a refresh, until it expires', async () => {
    const tokens = await exchange(await flow.authorize({ access_type: 'offline' }), oauth.nopkce);
    await flow.mock.control.advanceClock(1800);
    // Raw: oauth4webapi would check the id_token's times against the real clock, not the mock's.
    const answer = await flow.postForm('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
    });
    const refreshed = (await answer.json()) as { access_token: string };
    expect(refreshed.access_token).toMatch(/^ya29\./);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    await flow.mock.control.advanceClock(1800);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect((await userinfo(refreshed.access_token)).status).toBe(200);
  });

  it('issues no refresh token without access_type=offline', async () => {
    const tokens = await exchange(await flow.authorize(), oauth.nopkce);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toEqual(expect.any(String));
    const online = await exchange(await flow.authorize({ access_type: 'online' }), oauth.nopkce);
    expect(online.refresh_token).toBeUndefined();
  });

  it('issues no id_token without the openid scope', async () => {
    const tokens = await exchange(await flow.authorize({ scope: DRIVE }), oauth.nopkce);
    expect(tokens.id_token).toBeUndefined();
  });

  it('serves discovery that oauth4webapi accepts', async () => {
    const discovered = await oauth.processDiscoveryResponse(
      new URL(flow.base()),
      await oauth.discoveryRequest(new URL(flow.base()), { ...insecure, algorithm: 'oidc' }),
    );
    expect(discovered.jwks_uri).toBe(`${flow.base()}/oauth2/v3/certs`);
  });

  it('rejects a PKCE mismatch, a wrong secret, a reused code and a different redirect URI', async () => {
    const code = async () => (await flow.authorize()).get('code') ?? '';
    const creds = { client_id: flow.clientId, client_secret: flow.clientSecret };
    const grant = (c: string, extra: Record<string, string> = {}) => ({
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: flow.redirectUri,
      ...creds,
      ...extra,
    });

    const { callback } = await flow.authorizeWithPkce();
    const pkce = await flow.postForm(
      '/token',
      grant(callback.get('code') ?? '', { code_verifier: oauth.generateRandomCodeVerifier() }),
    );
    await expectJsonEqual(pkce, 400, {
      error: 'invalid_grant',
      error_description: 'Invalid code verifier.',
    });

    const wrong = await flow.postForm('/token', grant(await code(), { client_secret: 'nope' }));
    await expectJson(wrong, 401, { error: 'invalid_client' });

    const once = await code();
    expect((await flow.postForm('/token', grant(once))).status).toBe(200);
    const reused = await flow.postForm('/token', grant(once));
    await expectJson(reused, 400, { error: 'invalid_grant' });

    const mismatch = await flow.postForm(
      '/token',
      grant(await code(), { redirect_uri: 'http://app.test/other' }),
    );
    expect(await mismatch.json()).toMatchObject({ error: 'redirect_uri_mismatch' });
  });

  it('expires access tokens after an hour on the mock clock', async () => {
    const tokens = await exchange(await flow.authorize(), oauth.nopkce);
    await flow.mock.control.advanceClock(3600);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }, 401],
    ['an unregistered redirect URI', { redirect_uri: 'http://evil.test/' }, 400],
    ['a missing scope', { scope: undefined }, 400],
    ['a bad access_type', { access_type: 'forever' }, 400],
  ])('shows an error page, never a redirect, for %s', async (_name, params, status) => {
    await expectErrorPage(flow.authorizeUrl(params), status);
  });

  it('shows a Google consent page and ignores unknown parameters', async () => {
    const html = await (
      await fetch(flow.authorizeUrl({ include_granted_scopes: 'true', hl: 'en' }))
    ).text();
    expect(html).toContain('Google');
    expect(html).toContain('#1a73e8');
    expect(html).toContain(DRIVE);
  });
});
