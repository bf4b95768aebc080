import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { allowConsent, basicAuth, expectJson, expectJsonEqual, insecure } from '../testing/harness';
import { postForm as postFormTo, submitConsent, useOAuthFlow } from '../testing/harness';
import { expectErrorPage } from '../testing/harness';

const USER_URI = 'https://api.calendly.com/users/c41e0d1a-0ada-4c0d-9e1a-ca1000000001';
const ORG_URI = 'https://api.calendly.com/organizations/c41e0d1a-0ada-4c0d-9e1a-ca1000000002';

const flow = useOAuthFlow({
  provider: 'calendly',
  authorizePath: '/oauth/authorize',
  tokenPath: '/oauth/token',
  defaults: { response_type: 'code' },
  endpoints: { revocation_endpoint: '/oauth/revoke', introspection_endpoint: '/oauth/introspect' },
});
const { mock, as, client, base, basic } = flow;
const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI } = flow;

interface Started {
  url: string;
  verifier: string;
}

/** Every authorize URL carries a fresh S256 challenge unless a test drops it. */
async function authorizeUrl(params: Record<string, string | undefined> = {}): Promise<Started> {
  const verifier = oauth.generateRandomCodeVerifier();
  const url = flow.authorizeUrl({
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...params,
  });
  return { url, verifier };
}

async function authorize(params: Record<string, string | undefined> = {}) {
  const started = await authorizeUrl(params);
  const callback = await allowConsent(started.url, as(), client);
  return { callback, verifier: started.verifier };
}

const exchange = (
  { callback, verifier }: { callback: URLSearchParams; verifier: string },
  auth: oauth.ClientAuth = oauth.ClientSecretBasic(CLIENT_SECRET),
) => flow.exchange(callback, { auth, verifier });

const postForm = (path: string, body: Record<string, string>, authorization?: string) =>
  postFormTo(`${base()}${path}`, body, authorization);

/** The code exchange's form fields; `code_verifier` only when a verifier is given. */
const codeGrant = (code: string, verifier?: string, extra: Record<string, string> = {}) => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: REDIRECT_URI,
  ...(verifier === undefined ? {} : { code_verifier: verifier }),
  ...extra,
});

const usersMe = (token: string) =>
  fetch(`${base()}/users/me`, { headers: { authorization: `Bearer ${token}` } });

describe('calendly happy path', () => {
  it('connects with PKCE, reads the user, refreshes with rotation, introspects and revokes', async () => {
    const tokens = await exchange(await authorize({ scope: 'users:read' }));
    expect(tokens).toMatchObject({
      token_type: 'bearer', // oauth4webapi lowercases Calendly's "Bearer"
      scope: 'users:read',
      expires_in: 7200,
      owner: USER_URI,
      organization: ORG_URI,
      created_at: expect.any(Number),
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const me = await usersMe(tokens.access_token);
    await expectJsonEqual(me, 200, {
      resource: expect.objectContaining({
        uri: USER_URI,
        name: 'Ada Lovelace',
        slug: 'ada-lovelace',
        email: 'ada@acme.example',
        scheduling_url: 'https://calendly.com/ada-lovelace',
        timezone: 'Europe/London',
        current_organization: ORG_URI,
        resource_type: 'User',
      }),
    });

    const refreshToken = tokens.refresh_token ?? '';
    const refreshed = await flow.refresh(refreshToken);
    expect(refreshed.refresh_token).not.toBe(refreshToken);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await usersMe(refreshed.access_token)).status).toBe(200);

    const introspection = await oauth.processIntrospectionResponse(
      as(),
      client,
      await oauth.introspectionRequest(
        as(),
        client,
        oauth.ClientSecretPost(CLIENT_SECRET),
        refreshed.access_token,
        insecure,
      ),
    );
    expect(introspection).toMatchObject({
      active: true,
      client_id: CLIENT_ID,
      scope: 'users:read',
      owner: USER_URI,
      exp: expect.any(Number),
    });

    // Revoke takes client_id/client_secret/token in the form body.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(
        as(),
        client,
        oauth.ClientSecretPost(CLIENT_SECRET),
        refreshed.access_token,
        insecure,
      ),
    );
    const after = await usersMe(refreshed.access_token);
    await expectJsonEqual(after, 401, {
      title: 'Unauthenticated',
      message: 'The access token is revoked',
    });
    const refreshAfterRevoke = await postForm(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: refreshed.refresh_token ?? '' },
      basic(),
    );
    expect(refreshAfterRevoke.status).toBe(400);
  });

  it('accepts client credentials in the body as well as HTTP Basic', async () => {
    const tokens = await exchange(await authorize(), oauth.ClientSecretPost(CLIENT_SECRET));
    expect(tokens.scope).toBe('default');
  });

  it('shows a Calendly-branded consent page with the account', async () => {
    const { url } = await authorizeUrl();
    const html = await (await fetch(url)).text();
    expect(html).toContain('Calendly');
    expect(html).toContain('#006bff');
    expect(html).toContain('Ada Lovelace · ada@acme.example');
    expect(html).not.toContain(CLIENT_SECRET);
  });

  it('ignores unknown authorize parameters', async () => {
    const tokens = await exchange(await authorize({ prompt: 'login', foo: 'bar' }));
    expect(tokens.access_token).toEqual(expect.any(String));
  });
});

describe('calendly authorize strictness', () => {
  it.each([
    ['the plain method', { code_challenge_method: 'plain' }],
    ['no code_challenge_method', { code_challenge_method: undefined }],
  ])('redirects with invalid_request for %s', async (_name, params) => {
    const { url } = await authorizeUrl(params);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['an unregistered redirect URI', { redirect_uri: 'http://evil.test/callback' }],
    ['a redirect URI with a trailing slash', { redirect_uri: `${REDIRECT_URI}/` }],
    ['a missing redirect URI', { redirect_uri: undefined }],
    // Even without PKCE: the redirect URI is checked first, so no redirect to an untrusted URI.
    [
      'a bad redirect URI and no PKCE',
      { redirect_uri: 'http://evil.test/', code_challenge: undefined },
    ],
  ])('shows an error page, never a redirect, for %s', async (_name, params) => {
    const { url } = await authorizeUrl(params);
    const response = await expectErrorPage(url);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers Deny with access_denied', async () => {
    const { url } = await authorizeUrl();
    const consent = await submitConsent(url, 'Deny');
    const location = new URL(consent.location ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
  });
});

describe('calendly without PKCE', () => {
  // Documented: the plain code flow is supported, PKCE recommended
  // (https://developer.calendly.com/api-docs/calendly-o-auth/o-auth/get-oauth-authorize).
  it('connects with the code flow and no PKCE', async () => {
    const url = flow.authorizeUrl({});
    const callback = await allowConsent(url, as(), client);
    const response = await postForm('/oauth/token', codeGrant(callback.get('code') ?? ''), basic());
    await expectJson(response, 200, { token_type: 'Bearer' });
  });
});

describe('calendly token rate limit', () => {
  // https://developer.calendly.com/api-docs/overview/rate-limits: 8 OAuth tokens per user per
  // minute; 429 with X-RateLimit-Limit/Remaining/Reset and no Retry-After.
  it('issues 8 tokens per user per minute, then answers 429 with the rate-limit headers', async () => {
    const first = await exchange(await authorize());
    let refreshToken = first.refresh_token ?? '';
    for (let i = 0; i < 7; i += 1) {
      refreshToken = (await flow.refresh(refreshToken)).refresh_token ?? '';
    }
    const limited = await postForm(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      basic(),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('8');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('retry-after')).toBeNull();
    // The refresh token was not spent by the refused call; a minute later it works.
    await mock.control.advanceClock(60);
    expect((await flow.refresh(refreshToken)).access_token).toEqual(expect.any(String));
  });

  it('answers an injected rate_limit fault with the same headers', async () => {
    await mock.control.fault({
      provider: 'calendly',
      endpoint: 'token',
      kind: 'rate_limit',
      retryAfterSeconds: 42,
    });
    const response = await postForm('/oauth/token', { grant_type: 'refresh_token' }, basic());
    expect(response.status).toBe(429);
    expect(response.headers.get('x-ratelimit-reset')).toBe('42');
    expect(response.headers.get('retry-after')).toBeNull();
  });
});

describe('calendly token strictness', () => {
  it('rejects a PKCE verifier that does not match the challenge', async () => {
    const { callback } = await authorize();
    const response = await postForm(
      '/oauth/token',
      codeGrant(callback.get('code') ?? '', oauth.generateRandomCodeVerifier()),
      basic(),
    );
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('requires the code_verifier', async () => {
    const { callback } = await authorize();
    const response = await postForm('/oauth/token', codeGrant(callback.get('code') ?? ''), basic());
    await expectJson(response, 400, { error: 'invalid_request' });
  });

  it('rejects a wrong secret, an unknown client and no client authentication with 401', async () => {
    const { callback, verifier } = await authorize();
    const code = callback.get('code') ?? '';
    const wrong = basicAuth(CLIENT_ID, 'nope');
    const unknown = basicAuth('nobody', CLIENT_SECRET);
    for (const authorization of [wrong, unknown, undefined]) {
      const response = await postForm('/oauth/token', codeGrant(code, verifier), authorization);
      await expectJson(response, 401, { error: 'invalid_client' });
    }
  });

  it('accepts a code once only', async () => {
    const started = await authorize();
    await exchange(started);
    const response = await postForm(
      '/oauth/token',
      codeGrant(started.callback.get('code') ?? '', started.verifier),
      basic(),
    );
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('expires codes after ten minutes on the mock clock', async () => {
    const { callback, verifier } = await authorize();
    await mock.control.advanceClock(601);
    const response = await postForm(
      '/oauth/token',
      codeGrant(callback.get('code') ?? '', verifier),
      basic(),
    );
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('rejects a token request whose redirect URI differs from authorize', async () => {
    const { callback, verifier } = await authorize();
    const response = await postForm(
      '/oauth/token',
      codeGrant(callback.get('code') ?? '', verifier, { redirect_uri: 'http://app.test/other' }),
      basic(),
    );
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('refuses a reused (rotated) refresh token with invalid_grant', async () => {
    const tokens = await exchange(await authorize());
    const refresh = () =>
      postForm(
        '/oauth/token',
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' },
        basic(),
      );
    expect((await refresh()).status).toBe(200);
    const reused = await refresh();
    await expectJsonEqual(reused, 400, {
      error: 'invalid_grant',
      error_description: expect.any(String),
    });
  });

  it('expires access tokens after two hours on the mock clock', async () => {
    const tokens = await exchange(await authorize({ scope: 'users:read' }));
    await mock.control.advanceClock(7199);
    expect((await usersMe(tokens.access_token)).status).toBe(200);
    await mock.control.advanceClock(1);
    const expired = await usersMe(tokens.access_token);
    await expectJsonEqual(expired, 401, {
      title: 'Unauthenticated',
      message: 'The access token expired',
    });
  });

  // https://developer.calendly.com/scopes: apps created since 2026-03-03 get no API access
  // without scopes, and /users/me needs users:read (a :write scope would include it).
  it.each([
    ['no scope', undefined],
    ['only event_types:read', 'event_types:read'],
  ])('refuses /users/me for a token with %s', async (_name, scope) => {
    const tokens = await exchange(await authorize(scope === undefined ? {} : { scope }));
    const response = await usersMe(tokens.access_token);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      title: 'Permission Denied',
      message: expect.stringContaining('users:read'),
    });
  });

  it('rejects unknown bearer tokens on /users/me', async () => {
    const response = await usersMe('not-a-token');
    await expectJsonEqual(response, 401, {
      title: 'Unauthenticated',
      message: 'The access token is invalid',
    });
  });

  it('refuses to revoke for a client that fails authentication', async () => {
    const tokens = await exchange(await authorize({ scope: 'users:read' }));
    const response = await postForm('/oauth/revoke', {
      client_id: CLIENT_ID,
      client_secret: 'wrong',
      token: tokens.access_token,
    });
    await expectJson(response, 403, { error: 'unauthorized_client' });
    expect((await usersMe(tokens.access_token)).status).toBe(200);
  });

  it('logs requests under the documented endpoint names', async () => {
    await exchange(await authorize());
    const names = (await mock.control.requests({ provider: 'calendly' })).map((r) => r.endpoint);
    expect(names).toEqual(['authorize', 'consent', 'token']);
  });
});
