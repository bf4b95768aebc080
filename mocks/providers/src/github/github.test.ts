import http from 'node:http';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { expectJson, useOAuthFlow } from '../testing/harness';

const flow = useOAuthFlow({
  provider: 'github',
  authorizePath: '/login/oauth/authorize',
  tokenPath: '/login/oauth/access_token',
  defaults: { scope: 'read:user user:email' },
});

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${flow.base()}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'user-agent': 'plugboard-test', ...init.headers },
  });

async function codeExchange(callback: URLSearchParams, verifier: string | typeof oauth.nopkce) {
  return flow.exchange(callback, { auth: oauth.ClientSecretPost(flow.clientSecret), verifier });
}

/** A raw token request, optionally with an Accept header. */
const tokenRequest = (body: Record<string, string>, accept?: string) =>
  flow.postForm('/login/oauth/access_token', body, accept === undefined ? {} : { accept });

describe('github', () => {
  // GitHub accepts only S256 (https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication);
  // RFC 7636 §4.3 reads a challenge without a method as plain, so that is refused too.
  it.each([
    ['plain', { code_challenge_method: 'plain' }],
    ['no method', {}],
  ])('refuses a PKCE challenge with %s: only S256 is accepted', async (_, method) => {
    const verifier = oauth.generateRandomCodeVerifier();
    // No consent page: authorize sends the user back with the error, and no code.
    const page = await fetch(flow.authorizeUrl({ code_challenge: verifier, ...method }), {
      redirect: 'manual',
    });
    expect(page.status).toBe(302);
    const location = new URL(page.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(flow.redirectUri);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('connects with PKCE, reads the user and emails, and revokes', async () => {
    const { callback, verifier } = await flow.authorizeWithPkce();
    const tokens = await codeExchange(callback, verifier);
    expect(tokens.access_token).toMatch(/^gho_/);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'read:user,user:email' });
    expect(tokens.refresh_token).toBeUndefined();

    const user = await api('/user', tokens.access_token);
    expect(user.status).toBe(200);
    expect(user.headers.get('x-oauth-scopes')).toBe('read:user, user:email');
    expect(await user.json()).toMatchObject({
      login: 'ada-lovelace',
      id: 1000001,
      name: 'Ada Lovelace',
      email: 'ada@acme.example',
      type: 'User',
    });
    const emails = await api('/user/emails', tokens.access_token);
    expect(await emails.json()).toContainEqual({
      email: 'ada@acme.example',
      primary: true,
      verified: true,
      visibility: 'public',
    });

    const revoked = await fetch(`${flow.base()}/applications/${flow.clientId}/token`, {
      method: 'DELETE',
      headers: { authorization: flow.basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: tokens.access_token }),
    });
    expect(revoked.status).toBe(204);
    const after = await api('/user', tokens.access_token);
    await expectJson(after, 401, { message: 'Bad credentials' });
  });

  it('answers form-encoded unless Accept asks for JSON', async () => {
    const form = await tokenRequest({
      client_id: flow.clientId,
      client_secret: flow.clientSecret,
      code: (await flow.authorize()).get('code') ?? '',
    });
    expect(form.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const parsed = new URLSearchParams(await form.text());
    expect(parsed.get('access_token')).toMatch(/^gho_/);
    expect(parsed.get('token_type')).toBe('bearer');
    expect(parsed.get('scope')).toBe('read:user,user:email');

    const json = await tokenRequest(
      {
        client_id: flow.clientId,
        client_secret: flow.clientSecret,
        code: (await flow.authorize()).get('code') ?? '',
      },
      'application/json',
    );
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toMatchObject({
      token_type: 'bearer',
      scope: 'read:user,user:email',
    });
  });

  it('reports a reused code as bad_verification_code with HTTP 200, in either format', async () => {
    const code = (await flow.authorize()).get('code') ?? '';
    const body = { client_id: flow.clientId, client_secret: flow.clientSecret, code };
    expect((await tokenRequest(body, 'application/json')).status).toBe(200);
    const form = await tokenRequest(body);
    expect(form.status).toBe(200);
    expect(new URLSearchParams(await form.text()).get('error')).toBe('bad_verification_code');
    const json = await tokenRequest(body, 'application/json');
    await expectJson(json, 200, {
      error: 'bad_verification_code',
      error_description: 'The code passed is incorrect or expired.',
    });
  });

  it('rejects a wrong secret, a PKCE mismatch, an expired code and a different redirect URI', async () => {
    const code = async () => (await flow.authorize()).get('code') ?? '';
    const wrongSecret = await tokenRequest(
      { client_id: flow.clientId, client_secret: 'nope', code: await code() },
      'application/json',
    );
    expect(await wrongSecret.json()).toMatchObject({ error: 'incorrect_client_credentials' });

    const { callback } = await flow.authorizeWithPkce();
    const pkce = await tokenRequest(
      {
        client_id: flow.clientId,
        client_secret: flow.clientSecret,
        code: callback.get('code') ?? '',
        code_verifier: oauth.generateRandomCodeVerifier(),
      },
      'application/json',
    );
    expect(await pkce.json()).toMatchObject({ error: 'bad_verification_code' });

    const stale = await code();
    await flow.mock.control.advanceClock(601);
    const expired = await tokenRequest(
      { client_id: flow.clientId, client_secret: flow.clientSecret, code: stale },
      'application/json',
    );
    expect(await expired.json()).toMatchObject({ error: 'bad_verification_code' });

    const mismatch = await tokenRequest(
      {
        client_id: flow.clientId,
        client_secret: flow.clientSecret,
        code: await code(),
        redirect_uri: 'http://app.test/elsewhere',
      },
      'application/json',
    );
    expect(await mismatch.json()).toMatchObject({ error: 'redirect_uri_mismatch' });
  });

  it('redirects an unregistered redirect_uri to the registered callback with redirect_uri_mismatch', async () => {
    const response = await fetch(flow.authorizeUrl({ redirect_uri: 'http://evil.test/cb' }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(flow.redirectUri);
    expect(location.searchParams.get('error')).toBe('redirect_uri_mismatch');
  });

  it('shows a 404 page for an unknown client and a branded consent page otherwise', async () => {
    const unknown = await fetch(flow.authorizeUrl({ client_id: 'nobody' }), { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('location')).toBeNull();
    const html = await (await fetch(flow.authorizeUrl({ allow_signup: 'false' }))).text();
    expect(html).toContain('GitHub');
    expect(html).toContain('#24292f');
    expect(html).toContain('ada-lovelace');
  });

  it('hides /user/emails without the user:email scope, and needs a User-Agent', async () => {
    const tokens = await codeExchange(await flow.authorize({ scope: 'read:user' }), oauth.nopkce);
    expect((await api('/user/emails', tokens.access_token)).status).toBe(404);
    // The legacy `token` scheme works like Bearer.
    const legacy = await fetch(`${flow.base()}/user`, {
      headers: { authorization: `token ${tokens.access_token}`, 'user-agent': 'plugboard-test' },
    });
    expect(legacy.status).toBe(200);
    // fetch always sends a User-Agent, so use node:http to leave it out.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(
          `${flow.base()}/user`,
          { headers: { authorization: `Bearer ${tokens.access_token}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        )
        .on('error', reject);
    });
    expect(status).toBe(403);
  });
});
