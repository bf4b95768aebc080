import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { basicAuth, expectJson, expectJsonEqual, insecure } from '../testing/harness';
import { submitConsent, useOAuthFlow } from '../testing/harness';
import { expectErrorPage, untrustedAuthorizeCases } from '../testing/harness';

const OTHER_REDIRECT_URI = 'http://app.test/other-callback';
const ATTRIBUTES = 'https://uri.paypal.com/services/paypalattributes';
const ALL_SCOPES = `openid profile email address ${ATTRIBUTES}`;
const USER_ID =
  'https://www.paypal.com/webapps/auth/identity/user/ada-lovelace-0001-mock-sandbox-user';

const flow = useOAuthFlow({
  provider: 'paypal',
  authorizePath: '/signin/authorize',
  tokenPath: '/v1/oauth2/token',
  defaults: { flowEntry: 'static', response_type: 'code', scope: ALL_SCOPES },
  otherRedirectUris: [OTHER_REDIRECT_URI],
  endpoints: { revocation_endpoint: '/v1/oauth2/token/terminate', jwks_uri: '/v1/oauth2/certs' },
});
const { mock, as, client, authorizeUrl, authorize } = flow;
const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI } = flow;
const issuer = flow.base;
const basic = (id = CLIENT_ID, secret = CLIENT_SECRET) => basicAuth(id, secret);

async function exchange(callback: URLSearchParams, expectedNonce?: string) {
  return oauth.processAuthorizationCodeResponse(
    as(),
    client,
    await flow.codeGrant(callback),
    expectedNonce === undefined ? undefined : { expectedNonce },
  );
}

function postToken(body: Record<string, string>, authorization: string | null = basic()) {
  return fetch(`${issuer()}/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization === null ? {} : { authorization }),
    },
    body: new URLSearchParams(body).toString(),
  });
}

// Plain fetch: oauth4webapi's userInfoRequest would add nothing here but refuses to show the
// body of a 401 with a challenge, which these tests read.
function userinfo(token: string, schema: string | null = 'paypalv1.1') {
  const url = new URL(`${issuer()}/v1/identity/oauth2/userinfo`);
  if (schema !== null) url.searchParams.set('schema', schema);
  return fetch(url, { headers: { authorization: `Bearer ${token}` } });
}

describe('paypal happy path', () => {
  it('logs in, verifies the id_token, reads userinfo, refreshes and terminates', async () => {
    const callback = await authorize({ nonce: 'nonce-abc' });
    expect(callback.get('scope')).toBe(ALL_SCOPES);

    const tokens = await exchange(callback, 'nonce-abc');
    expect(Object.keys(tokens).sort()).toEqual(
      [
        'access_token',
        'app_id',
        'expires_in',
        'id_token',
        'nonce',
        'refresh_token',
        'scope',
        'token_type',
      ].sort(),
    );
    expect(tokens).toMatchObject({
      token_type: 'bearer', // oauth4webapi lower-cases PayPal's "Bearer"
      scope: ALL_SCOPES,
      expires_in: 28_800,
      app_id: expect.stringMatching(/^APP-[0-9A-F]{17}$/),
      nonce: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ.+/),
    });
    expect(tokens.access_token).toMatch(/^A21AA/);

    // The id_token's signature, checked against the published JWKS with jose.
    const idToken = tokens.id_token ?? '';
    expect(decodeProtectedHeader(idToken).alg).toBe('RS256');
    const jwks = createRemoteJWKSet(new URL(`${issuer()}/v1/oauth2/certs`));
    const { payload } = await jwtVerify(idToken, jwks, {
      issuer: issuer(),
      audience: CLIENT_ID,
    });
    expect(payload).toMatchObject({ sub: USER_ID, nonce: 'nonce-abc' });
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(USER_ID);

    const info = await userinfo(tokens.access_token);
    await expectJsonEqual(info, 200, {
      user_id: USER_ID,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      payer_id: 'ADALVLC2P8Q9K',
      verified_account: 'true',
      address: {
        street_address: '12 Analytical Row',
        locality: 'London',
        region: 'London',
        postal_code: 'N1 9GU',
        country: 'GB',
      },
      emails: [{ value: 'ada@acme.example', primary: true }],
    });

    const refreshToken = tokens.refresh_token ?? '';
    const refreshed = await flow.refresh(refreshToken);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed.scope).toBe(ALL_SCOPES);
    expect((await userinfo(refreshed.access_token)).status).toBe(200);
    // Same refresh token again: no rotation.
    const again = await postToken({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(again.status).toBe(200);
    const latest = (await again.json()) as { access_token: string };

    const terminated = await oauth.revocationRequest(
      as(),
      client,
      oauth.ClientSecretBasic(CLIENT_SECRET),
      refreshToken,
      { ...insecure, additionalParameters: { token_type_hint: 'REFRESH_TOKEN' } },
    );
    await oauth.processRevocationResponse(terminated);

    const after = await userinfo(latest.access_token);
    await expectJsonEqual(after, 401, {
      error: 'invalid_token',
      error_description: 'The token passed in was not found in the system',
    });
    const refreshAfter = await postToken({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    await expectJsonEqual(refreshAfter, 400, {
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    });
  });

  it('publishes a discovery document that oauth4webapi accepts', async () => {
    const discovered = await oauth.processDiscoveryResponse(
      new URL(issuer()),
      await oauth.discoveryRequest(new URL(issuer()), insecure),
    );
    expect(discovered).toMatchObject({
      token_endpoint: `${issuer()}/v1/oauth2/token`,
      jwks_uri: `${issuer()}/v1/oauth2/certs`,
      userinfo_endpoint: `${issuer()}/v1/identity/oauth2/userinfo`,
    });
  });

  it('shows a consent page with the account and what each scope shares', async () => {
    const page = await fetch(authorizeUrl());
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('PayPal');
    expect(html).toContain('#003087');
    expect(html).toContain('Ada Lovelace · ada@acme.example');
    expect(html).toContain('Email address');
    expect(html).toContain('payer ID');
    expect(html).not.toContain(CLIENT_SECRET);
  });

  it('returns only what the granted scopes cover', async () => {
    const tokens = await exchange(await authorize({ scope: 'openid email' }));
    expect(await (await userinfo(tokens.access_token)).json()).toEqual({
      user_id: USER_ID,
      emails: [{ value: 'ada@acme.example', primary: true }],
    });
  });

  it('expires access tokens after expires_in, and a refresh brings a working one', async () => {
    const tokens = await exchange(await authorize());
    await mock.control.advanceClock(28_801);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    const refreshed = await postToken({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { access_token: string };
    expect((await userinfo(body.access_token)).status).toBe(200);
  });

  it('ignores unknown authorize parameters', async () => {
    const callback = await authorize({ fullPage: 'true', code_challenge: 'abc', locale: 'en-GB' });
    expect((await exchange(callback)).access_token).toMatch(/^A21AA/);
  });
});

describe('paypal authorize strictness', () => {
  it('answers Deny with PayPal’s consent-denied redirect', async () => {
    const consent = await submitConsent(authorizeUrl(), 'Deny');
    expect(consent.status).toBe(302);
    expect(consent.location).toBe(
      `${REDIRECT_URI}?error_uri=${encodeURIComponent(REDIRECT_URI)}&error_description=Consent%20denied&error=access_denied&state=state-123`,
    );
    const location = new URL(consent.location ?? '');
    expect(location.searchParams.get('error_uri')).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error_description')).toBe('Consent denied');
    expect(() => oauth.validateAuthResponse(as(), client, location, 'state-123')).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it.each(untrustedAuthorizeCases(REDIRECT_URI))(
    'shows an error page, never a redirect, for %s',
    async (_name, params) => {
      const response = await expectErrorPage(authorizeUrl(params));
      expect(await response.text()).toContain('invalid client_id or redirect_uri');
    },
  );

  it.each([
    ['scope lacks openid', { scope: 'profile email' }, 'invalid_scope'],
    ['scope is comma-separated', { scope: 'openid,email' }, 'invalid_scope'],
    ['scope is unknown', { scope: 'openid admin' }, 'invalid_scope'],
    ['response_type is token', { response_type: 'token' }, 'unsupported_response_type'],
  ])('redirects with an error when %s', async (_name, params, error) => {
    const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('state-123');
  });
});

describe('paypal token strictness', () => {
  async function freshCode() {
    return (await authorize()).get('code') ?? '';
  }

  it('rejects a wrong secret, an unknown client and missing authentication', async () => {
    for (const authorization of [basic(CLIENT_ID, 'wrong'), basic('nobody', 'x'), null]) {
      const response = await postToken(
        { grant_type: 'authorization_code', code: await freshCode() },
        authorization,
      );
      await expectJsonEqual(response, 401, {
        error: 'invalid_client',
        error_description: 'Client Authentication failed',
      });
    }
  });

  it('rejects client credentials sent in the body instead of HTTP Basic', async () => {
    const response = await flow.codeGrant(await authorize(), {
      auth: oauth.ClientSecretPost(CLIENT_SECRET),
    });
    await expectJson(response, 401, { error: 'invalid_client' });
  });

  it('reads form bodies only', async () => {
    const response = await fetch(`${issuer()}/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic() },
      body: JSON.stringify({ grant_type: 'authorization_code', code: await freshCode() }),
    });
    await expectJsonEqual(response, 400, {
      error: 'unsupported_grant_type',
      error_description: 'Grant Type is NULL',
    });
  });

  it('accepts a code once only, and not after it expired', async () => {
    const code = await freshCode();
    expect((await postToken({ grant_type: 'authorization_code', code })).status).toBe(200);
    const reused = await postToken({ grant_type: 'authorization_code', code });
    await expectJsonEqual(reused, 400, {
      error: 'invalid_grant',
      error_description: 'Invalid authorization code',
    });

    const late = await freshCode();
    await mock.control.advanceClock(301);
    const expired = await postToken({ grant_type: 'authorization_code', code: late });
    await expectJson(expired, 400, { error: 'invalid_grant' });
  });

  it('binds codes to their client and redirect URI', async () => {
    await flow.registerClient('other', 'other-secret');
    const stolen = await postToken(
      { grant_type: 'authorization_code', code: await freshCode() },
      basic('other', 'other-secret'),
    );
    await expectJson(stolen, 400, { error: 'invalid_grant' });

    const mismatch = await postToken({
      grant_type: 'authorization_code',
      code: await freshCode(),
      redirect_uri: OTHER_REDIRECT_URI,
    });
    await expectJson(mismatch, 400, { error: 'invalid_grant' });
  });

  it("refuses an access token as a refresh token, and another app's refresh token", async () => {
    const tokens = await exchange(await authorize());
    const asRefresh = await postToken({
      grant_type: 'refresh_token',
      refresh_token: tokens.access_token,
    });
    expect(asRefresh.status).toBe(400);
    await flow.registerClient('other', 'other-secret');
    const foreign = await postToken(
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' },
      basic('other', 'other-secret'),
    );
    await expectJson(foreign, 400, { error: 'invalid_grant' });
  });

  it('terminates with an access token hint, and checks the hint', async () => {
    const tokens = await exchange(await authorize());
    const terminate = (body: Record<string, string>) =>
      fetch(`${issuer()}/v1/oauth2/token/terminate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic() },
        body: new URLSearchParams(body).toString(),
      });
    const badHint = await terminate({ token: tokens.access_token, token_type_hint: 'ID_TOKEN' });
    expect(badHint.status).toBe(400);
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    const ok = await terminate({ token: tokens.access_token, token_type_hint: 'ACCESS_TOKEN' });
    expect(ok.status).toBe(200);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect((await terminate({ token: 'unknown', token_type_hint: 'ACCESS_TOKEN' })).status).toBe(
      200,
    );
  });
});

describe('paypal userinfo strictness', () => {
  it('requires schema=paypalv1.1', async () => {
    const tokens = await exchange(await authorize());
    for (const schema of [null, 'openid']) {
      const response = await userinfo(tokens.access_token, schema);
      await expectJson(response, 400, {
        name: 'INVALID_REQUEST',
        debug_id: expect.any(String),
      });
    }
  });

  it('rejects an unknown token', async () => {
    const response = await userinfo('A21AAunknown');
    await expectJson(response, 401, { error: 'invalid_token' });
  });
});
