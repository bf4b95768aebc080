import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, expectJsonEqual, insecure, submitConsent } from '../testing/harness';
import { postForm, urlWithParams, useOAuthFlow } from '../testing/harness';
import { expectErrorPage } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'zoom',
  authorizePath: '/oauth/authorize',
  tokenPath: '/oauth/token',
  defaults: { response_type: 'code' },
  endpoints: { revocation_endpoint: '/oauth/revoke' },
});
const { mock, as, client, base, basic, authorizeUrl, authorize, refresh } = flow;
const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI } = flow;

const exchange = (
  callback: URLSearchParams,
  verifier: string | typeof oauth.nopkce = oauth.nopkce,
) => flow.exchange(callback, { verifier });

const postToken = (
  body: Record<string, string>,
  authorization: string | undefined = basic(),
  query: Record<string, string> = {},
) => postForm(urlWithParams(`${base()}/oauth/token`, query), body, authorization);

const usersMe = (token: string) =>
  fetch(`${base()}/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });

describe('zoom happy path', () => {
  it('connects, reads the user, refreshes with rotation and revokes', async () => {
    const tokens = await exchange(await authorize());
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: 3599,
      scope: 'user:read',
      api_url: base(),
    });

    const me = await usersMe(tokens.access_token);
    await expectJson(me, 200, {
      id: 'zAdaLovelace00000000Q1',
      first_name: 'Ada',
      last_name: 'Lovelace',
      display_name: 'Ada Lovelace',
      email: 'ada@acme.example',
      account_id: 'zAcmeAccount00000000Q2',
      type: 2,
      pic_url: expect.any(String),
      status: 'active',
      verified: 1,
    });

    const refreshed = await refresh(tokens.refresh_token ?? '');
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await usersMe(refreshed.access_token)).status).toBe(200);

    const revoked = await oauth.revocationRequest(
      as(),
      client,
      oauth.ClientSecretBasic(CLIENT_SECRET),
      refreshed.access_token,
      insecure,
    );
    await expectJsonEqual(revoked, 200, { status: 'success' });
    const after = await usersMe(refreshed.access_token);
    await expectJsonEqual(after, 401, { code: 124, message: 'Invalid access token.' });
    const refreshAfter = await postToken({
      grant_type: 'refresh_token',
      refresh_token: refreshed.refresh_token ?? '',
    });
    expect(refreshAfter.status).toBe(400);
  });

  it('supports PKCE S256 when the client sends it', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await authorize({
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    expect((await exchange(callback, verifier)).access_token).toEqual(expect.any(String));
  });

  it('takes token parameters from the query string too', async () => {
    const callback = await authorize();
    const response = await fetch(
      `${base()}/oauth/token?${new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
      })}`,
      { method: 'POST', headers: { authorization: basic() } },
    );
    await expectJson(response, 200, { token_type: 'bearer', expires_in: 3599 });
  });

  it('shows a Zoom-branded consent page and ignores unknown parameters', async () => {
    const html = await (await fetch(authorizeUrl({ foo: 'bar' }))).text();
    expect(html).toContain('Zoom');
    expect(html).toContain('#0b5cff');
    expect(html).toContain('Ada Lovelace · ada@acme.example');
  });
});

describe('zoom strictness', () => {
  it('requires HTTP Basic: body credentials are refused', async () => {
    const callback = await authorize();
    const response = await flow.codeGrant(callback, {
      auth: oauth.ClientSecretPost(CLIENT_SECRET),
    });
    await expectJsonEqual(response, 401, {
      reason: 'Invalid client_id or client_secret',
      error: 'invalid_client',
    });
  });

  it('rejects a wrong secret', async () => {
    const callback = await authorize();
    const response = await postToken(
      {
        grant_type: 'authorization_code',
        code: callback.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
      },
      basic('wrong'),
    );
    await expectJson(response, 401, { error: 'invalid_client' });
  });

  it('refuses a reused code without echoing it', async () => {
    const callback = await authorize();
    await exchange(callback);
    const code = callback.get('code') ?? '';
    const response = await postToken({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      reason: 'Invalid authorization code',
      error: 'invalid_request',
    });
    expect(text).not.toContain(code);
  });

  it('expires codes after five minutes', async () => {
    const callback = await authorize();
    await mock.control.advanceClock(301);
    const response = await postToken({
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
    });
    await expectJson(response, 400, { error: 'invalid_request' });
  });

  it('rejects a PKCE verifier that does not match', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await authorize({
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const response = await postToken({
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: oauth.generateRandomCodeVerifier(),
    });
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('rejects a redirect URI that differs from authorize', async () => {
    const callback = await authorize();
    const response = await postToken({
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: `${REDIRECT_URI}/`,
    });
    await expectJsonEqual(response, 400, {
      reason: 'Redirect URI mismatch.',
      error: 'invalid_request',
    });
  });

  it('rotates refresh tokens: the old one is refused with Invalid Token!', async () => {
    const tokens = await exchange(await authorize());
    await refresh(tokens.refresh_token ?? '');
    const reused = await postToken({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    await expectJsonEqual(reused, 400, { reason: 'Invalid Token!', error: 'invalid_grant' });
  });

  it('invalidates earlier tokens when the same user authorises again', async () => {
    const first = await exchange(await authorize());
    const second = await exchange(await authorize());
    expect((await usersMe(first.access_token)).status).toBe(401);
    const refreshFirst = await postToken({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
    });
    expect(refreshFirst.status).toBe(400);
    expect((await usersMe(second.access_token)).status).toBe(200);
  });

  it('keeps another user’s tokens when a different user authorises', async () => {
    const first = await exchange(await authorize());
    await mock.control.setAccount('zoom', {
      id: 'zGraceHopper0000000Q3',
      email: 'grace@navy.example',
    });
    await exchange(await authorize());
    expect((await usersMe(first.access_token)).status).toBe(200);
  });

  it('expires access tokens after an hour on the mock clock', async () => {
    const tokens = await exchange(await authorize());
    await mock.control.advanceClock(3599);
    expect((await usersMe(tokens.access_token)).status).toBe(200);
    await mock.control.advanceClock(1);
    const expired = await usersMe(tokens.access_token);
    await expectJsonEqual(expired, 401, { code: 124, message: 'Access token is expired.' });
    // The refresh token still works after the access token expired.
    expect((await refresh(tokens.refresh_token ?? '')).access_token).toEqual(expect.any(String));
  });

  it('rejects unsupported grant types', async () => {
    const response = await postToken({ grant_type: 'password' });
    await expectJsonEqual(response, 400, {
      reason: 'unsupported grant type',
      error: 'unsupported_grant_type',
    });
  });

  it('requires HTTP Basic on revoke', async () => {
    const tokens = await exchange(await authorize());
    const response = await fetch(`${base()}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        token: tokens.access_token,
      }).toString(),
    });
    expect(response.status).toBe(401);
    expect((await usersMe(tokens.access_token)).status).toBe(200);
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['a redirect URI with a trailing slash', { redirect_uri: `${REDIRECT_URI}/` }],
    ['a missing redirect URI', { redirect_uri: undefined }],
  ])('shows an error page, never a redirect, for %s', async (_name, params) => {
    await expectErrorPage(authorizeUrl(params));
  });

  it('answers Deny with access_denied', async () => {
    const consent = await submitConsent(authorizeUrl(), 'Deny');
    expect(new URL(consent.location ?? '').searchParams.get('error')).toBe('access_denied');
  });
});
