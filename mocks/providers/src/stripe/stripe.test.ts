import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { basicAuth, expectJson, expectJsonEqual, submitConsent } from '../testing/harness';
import { useOAuthFlow } from '../testing/harness';
import { expectErrorPage, untrustedAuthorizeCases } from '../testing/harness';

const SECRET_KEY = 'sk_test_platform_secret_key';
const OTHER_REDIRECT_URI = 'http://app.test/other-callback';
const ACCOUNT_ID = 'acct_1AdaLovelace0001';

const flow = useOAuthFlow({
  provider: 'stripe',
  authorizePath: '/oauth/authorize',
  tokenPath: '/oauth/token',
  defaults: { response_type: 'code', scope: 'read_write' },
  clientId: 'ca_test_plugboard',
  clientSecret: SECRET_KEY,
  otherRedirectUris: [OTHER_REDIRECT_URI],
});
const { mock, as, client, authorizeUrl, authorize } = flow;
const { clientId: CLIENT_ID, redirectUri: REDIRECT_URI } = flow;

/** stripe-node's way: the platform secret key as a Bearer token, no client id. */
const bearerKey =
  (key = SECRET_KEY): oauth.ClientAuth =>
  (_as, _client, _body, headers) => {
    headers.set('authorization', `Bearer ${key}`);
  };
/** curl's `-u sk_…:` — the key as Basic user name, empty password. */
const basicKey =
  (key = SECRET_KEY): oauth.ClientAuth =>
  (_as, _client, _body, headers) => {
    headers.set('authorization', basicAuth(key, ''));
  };

const exchange = (callback: URLSearchParams, auth: oauth.ClientAuth = bearerKey()) =>
  flow.exchange(callback, { auth });

function postForm(
  path: 'token' | 'deauthorize',
  body: Record<string, string>,
  authorization: string | null = `Bearer ${SECRET_KEY}`,
) {
  return fetch(`${mock.url}/stripe/oauth/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization === null ? {} : { authorization }),
    },
    body: new URLSearchParams(body).toString(),
  });
}

// Plain fetch, not oauth4webapi's protectedResourceRequest: that one throws on the
// `WWW-Authenticate` challenge Stripe sends with a 401, and these tests read the 401 body.
function getAccount(token: string) {
  return fetch(`${mock.url}/stripe/v1/account`, { headers: { authorization: `Bearer ${token}` } });
}

describe('stripe happy path', () => {
  it('connects, reads the account, refreshes without rotation and deauthorizes', async () => {
    const callback = await authorize();
    expect(callback.get('scope')).toBe('read_write');
    expect(callback.get('code')).toMatch(/^ac_/);

    const tokens = await exchange(callback);
    expect(Object.keys(tokens).sort()).toEqual(
      [
        'access_token',
        'livemode',
        'refresh_token',
        'scope',
        'stripe_publishable_key',
        'stripe_user_id',
        'token_type',
      ].sort(),
    );
    expect(tokens).toMatchObject({
      livemode: false,
      token_type: 'bearer', // oauth4webapi lower-cases it; Stripe sends "bearer" anyway
      scope: 'read_write',
      stripe_user_id: ACCOUNT_ID,
      stripe_publishable_key: expect.stringMatching(/^pk_test_/),
      refresh_token: expect.stringMatching(/^rt_/),
    });
    expect(tokens.access_token).toMatch(/^sk_test_/);
    expect(tokens.expires_in).toBeUndefined();

    const account = await getAccount(tokens.access_token);
    await expectJson(account, 200, {
      id: ACCOUNT_ID,
      object: 'account',
      email: 'ada@acme.example',
      business_profile: { name: 'Acme Analytics Ltd' },
      settings: { dashboard: { display_name: 'Acme Analytics' } },
      country: 'GB',
      type: 'standard',
      charges_enabled: true,
    });

    // Access tokens do not expire: a day later the token still works.
    await mock.control.advanceClock(86_400);
    expect((await getAccount(tokens.access_token)).status).toBe(200);

    const refreshToken = tokens.refresh_token ?? '';
    const refreshed = await flow.refresh(refreshToken, basicKey());
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBe(refreshToken);
    expect(refreshed.stripe_user_id).toBe(ACCOUNT_ID);
    expect(refreshed.stripe_publishable_key).toBe(tokens.stripe_publishable_key);
    expect((await getAccount(refreshed.access_token)).status).toBe(200);

    // No rotation: the same refresh token works again, and may narrow the scope.
    const narrowed = await postForm('token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: 'read_only',
    });
    expect(narrowed.status).toBe(200);
    const narrowedBody = (await narrowed.json()) as { access_token: string; scope: string };
    expect(narrowedBody.scope).toBe('read_only');

    // Deauthorize with the key in the body (client_secret), the third accepted way.
    const deauthorized = await postForm(
      'deauthorize',
      { client_id: CLIENT_ID, stripe_user_id: ACCOUNT_ID, client_secret: SECRET_KEY },
      null,
    );
    await expectJsonEqual(deauthorized, 200, { stripe_user_id: ACCOUNT_ID });

    const after = await getAccount(narrowedBody.access_token);
    await expectJsonEqual(after, 401, {
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^Invalid API Key/) },
    });
    const refreshAfter = await postForm('token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    await expectJson(refreshAfter, 400, { error: 'invalid_grant' });

    const again = await postForm('deauthorize', {
      client_id: CLIENT_ID,
      stripe_user_id: ACCOUNT_ID,
    });
    await expectJsonEqual(again, 401, {
      error: 'invalid_client',
      error_description: `This application is not connected to stripe account ${ACCOUNT_ID}, or that account does not exist.`,
    });

    // Reconnecting afterwards works, with fresh tokens.
    const reconnected = await exchange(await authorize());
    expect((await getAccount(reconnected.access_token)).status).toBe(200);
  });

  it('shows a consent page with the account and the scope but no secret', async () => {
    const page = await fetch(authorizeUrl());
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('Stripe');
    expect(html).toContain('#635BFF');
    expect(html).toContain('Ada Lovelace · ada@acme.example');
    expect(html).toContain(`Acme Analytics (${ACCOUNT_ID})`);
    expect(html).toContain('read_write');
    expect(html).not.toContain(SECRET_KEY);
  });

  it('accepts the secret key as Bearer, as Basic user name, and as client_secret', async () => {
    for (const auth of [bearerKey(), basicKey(), oauth.ClientSecretPost(SECRET_KEY)]) {
      const tokens = await exchange(await authorize(), auth);
      expect(tokens.stripe_user_id).toBe(ACCOUNT_ID);
    }
  });

  it('defaults scope to read_only and redirect_uri to the first registered URI', async () => {
    const consent = await submitConsent(
      authorizeUrl({ scope: undefined, redirect_uri: undefined }),
      'Allow',
    );
    const location = new URL(consent.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('scope')).toBe('read_only');
    const tokens = await exchange(oauth.validateAuthResponse(as(), client, location, 'state-123'));
    expect(tokens.scope).toBe('read_only');

    // read_only cannot be widened on refresh.
    const widened = await postForm('token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      scope: 'read_write',
    });
    await expectJson(widened, 400, { error: 'invalid_scope' });
  });

  it('ignores unknown authorize parameters', async () => {
    const callback = await authorize({
      stripe_landing: 'register',
      always_prompt: 'true',
      'stripe_user[email]': 'someone@example.com',
      code_challenge: 'abc',
      code_challenge_method: 'S256',
    });
    expect((await exchange(callback)).stripe_user_id).toBe(ACCOUNT_ID);
  });

  it('connects the account set through the control API', async () => {
    await mock.control.setAccount('stripe', {
      accountId: 'acct_1GraceHopper0002',
      email: 'grace@navy.example',
      businessName: 'Navy Payments',
    });
    const tokens = await exchange(await authorize());
    expect(tokens.stripe_user_id).toBe('acct_1GraceHopper0002');
    expect(await (await getAccount(tokens.access_token)).json()).toMatchObject({
      id: 'acct_1GraceHopper0002',
      email: 'grace@navy.example',
      business_profile: { name: 'Navy Payments' },
    });
  });
});

describe('stripe authorize strictness', () => {
  it('answers Deny with the access_denied redirect Stripe sends', async () => {
    const consent = await submitConsent(authorizeUrl(), 'Deny');
    expect(consent.status).toBe(302);
    expect(consent.location).toBe(
      `${REDIRECT_URI}?error=access_denied&error_description=The+user+denied+your+request&state=state-123`,
    );
    expect(() =>
      oauth.validateAuthResponse(as(), client, new URL(consent.location ?? ''), 'state-123'),
    ).toThrow(oauth.AuthorizationResponseError);
  });

  it.each(untrustedAuthorizeCases(REDIRECT_URI, 'ca_nobody'))(
    'shows an error page, never a redirect, for %s',
    async (_name, params) => {
      const response = await expectErrorPage(authorizeUrl(params));
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    },
  );

  it.each([
    ['a list of scopes', { scope: 'read_write read_only' }, 'invalid_scope'],
    ['an unknown scope', { scope: 'admin' }, 'invalid_scope'],
    ['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
    ['no response_type', { response_type: undefined }, 'invalid_request'],
  ])('redirects with an error for %s', async (_name, params, error) => {
    const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toEqual(expect.any(String));
    expect(location.searchParams.get('state')).toBe('state-123');
  });
});

describe('stripe token strictness', () => {
  async function freshCode() {
    return (await authorize()).get('code') ?? '';
  }

  it('rejects a wrong secret key, and masks it in the error', async () => {
    const response = await postForm(
      'token',
      { grant_type: 'authorization_code', code: await freshCode() },
      'Bearer sk_test_wrong_key_1234',
    );
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);
  });

  it('rejects a request without the secret key', async () => {
    const response = await postForm(
      'token',
      { grant_type: 'authorization_code', code: await freshCode() },
      null,
    );
    await expectJson(response, 401, { error: 'invalid_client' });
  });

  it("rejects a client_id that is not the key's platform", async () => {
    const response = await postForm('token', {
      grant_type: 'authorization_code',
      code: await freshCode(),
      client_id: 'ca_someone_else',
    });
    await expectJson(response, 401, { error: 'invalid_client' });
  });

  it('reads form bodies only', async () => {
    const response = await fetch(`${mock.url}/stripe/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET_KEY}` },
      body: JSON.stringify({ grant_type: 'authorization_code', code: await freshCode() }),
    });
    await expectJsonEqual(response, 400, {
      error: 'invalid_request',
      error_description: 'No grant type specified',
    });
  });

  it('rejects an unknown code', async () => {
    const response = await postForm('token', { grant_type: 'authorization_code', code: 'ac_x' });
    await expectJsonEqual(response, 400, {
      error: 'invalid_grant',
      error_description: 'Authorization code does not exist: ac_x',
    });
  });

  it('rejects a replayed code and revokes what it produced', async () => {
    const callback = await authorize();
    const tokens = await exchange(callback);
    const replay = await postForm('token', {
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
    });
    await expectJsonEqual(replay, 400, {
      error: 'invalid_grant',
      error_description:
        'This authorization code has already been used. All tokens issued with this code have been revoked.',
    });
    expect((await getAccount(tokens.access_token)).status).toBe(401);
  });

  it('expires codes after five minutes on the mock clock', async () => {
    const code = await freshCode();
    await mock.control.advanceClock(301);
    const response = await postForm('token', { grant_type: 'authorization_code', code });
    await expectJsonEqual(response, 400, {
      error: 'invalid_grant',
      error_description: `Authorization code expired: ${code}`,
    });
  });

  it('binds codes to the platform they were issued to', async () => {
    await flow.registerClient('ca_other', 'sk_test_other_platform');
    const response = await postForm(
      'token',
      { grant_type: 'authorization_code', code: await freshCode() },
      'Bearer sk_test_other_platform',
    );
    await expectJsonEqual(response, 400, {
      error: 'invalid_grant',
      error_description: 'Authorization code provided does not belong to you',
    });
  });

  it('rejects an unknown refresh token and unsupported grant types', async () => {
    const refresh = await postForm('token', { grant_type: 'refresh_token', refresh_token: 'rt_x' });
    await expectJson(refresh, 400, { error: 'invalid_grant' });
    const grant = await postForm('token', { grant_type: 'client_credentials' });
    await expectJson(grant, 400, { error: 'unsupported_grant_type' });
  });

  it('requires the platform key, client_id and stripe_user_id to deauthorize', async () => {
    await exchange(await authorize());
    const wrongKey = await postForm(
      'deauthorize',
      { client_id: CLIENT_ID, stripe_user_id: ACCOUNT_ID },
      'Bearer sk_test_wrong',
    );
    await expectJson(wrongKey, 401, { error: 'invalid_client' });
    const noUser = await postForm('deauthorize', { client_id: CLIENT_ID });
    await expectJson(noUser, 400, { error: 'invalid_request' });
    const noClient = await postForm('deauthorize', { stripe_user_id: ACCOUNT_ID });
    await expectJson(noClient, 400, { error: 'invalid_request' });
  });
});

describe('stripe api strictness', () => {
  it('rejects a missing or unknown key with Stripe’s API error shape', async () => {
    const missing = await fetch(`${mock.url}/stripe/v1/account`);
    await expectJsonEqual(missing, 401, {
      error: { type: 'invalid_request_error', message: expect.stringContaining('API key') },
    });
    const unknown = await getAccount('sk_test_unknown_token_abcd');
    expect(unknown.status).toBe(401);
    const body = (await unknown.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^Invalid API Key provided: sk_test_\*+abcd$/);
    expect(body.error.message).not.toContain('unknown_token');
  });

  it('answers injected faults in Stripe’s shapes', async () => {
    const tokens = await exchange(await authorize());
    await mock.control.fault({ provider: 'stripe', endpoint: 'identity', kind: 'rate_limit' });
    const limited = await getAccount(tokens.access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit' } });
    expect(await mock.control.requests({ provider: 'stripe', endpoint: 'identity' })).toEqual([
      expect.objectContaining({ path: '/stripe/v1/account', status: 429 }),
    ]);
  });
});
