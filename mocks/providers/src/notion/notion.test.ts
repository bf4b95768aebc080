import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { basicAuth, expectJson, expectJsonEqual, submitConsent } from '../testing/harness';
import { useOAuthFlow } from '../testing/harness';
import { expectErrorPage, untrustedAuthorizeCases } from '../testing/harness';

const OTHER_REDIRECT_URI = 'http://app.test/other-callback';
const NOTION_VERSION = '2025-09-03';

const flow = useOAuthFlow({
  provider: 'notion',
  authorizePath: '/v1/oauth/authorize',
  tokenPath: '/v1/oauth/token',
  defaults: { response_type: 'code', owner: 'user' },
  otherRedirectUris: [OTHER_REDIRECT_URI],
});
const { mock, as, client, authorizeUrl, authorize } = flow;
const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI } = flow;
const basic = (id = CLIENT_ID, secret = CLIENT_SECRET) => basicAuth(id, secret);

const exchange = (callback: URLSearchParams, redirectUri = REDIRECT_URI) =>
  flow.exchange(callback, { redirectUri });

function postToken(body: Record<string, string>, authorization: string | null = basic()) {
  return fetch(`${mock.url}/notion/v1/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });
}

function usersMe(token: string, version: string | null = NOTION_VERSION) {
  return fetch(`${mock.url}/notion/v1/users/me`, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(version === null ? {} : { 'notion-version': version }),
    },
  });
}

function postOauth(path: 'revoke' | 'introspect', token: string) {
  return fetch(`${mock.url}/notion/v1/oauth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic() },
    body: JSON.stringify({ token }),
  });
}

describe('notion happy path', () => {
  it('connects, reads the bot user, refreshes with rotation and revokes', async () => {
    const tokens = await exchange(await authorize());

    expect(Object.keys(tokens).sort()).toEqual(
      [
        'access_token',
        'bot_id',
        'duplicated_template_id',
        'owner',
        'refresh_token',
        'request_id',
        'token_type',
        'workspace_icon',
        'workspace_id',
        'workspace_name',
      ].sort(),
    );
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      workspace_name: 'Acme Workspace',
      workspace_id: '8d2e4f6a-0ada-4c0d-9e1a-ace000000002',
      workspace_icon: null,
      duplicated_template_id: null,
      owner: {
        type: 'user',
        user: {
          object: 'user',
          id: '5a1b7c3d-0ada-4c0d-9e1a-ace000000001',
          type: 'person',
          name: 'Ada Lovelace',
          avatar_url: null,
          person: { email: 'ada@acme.example' },
        },
      },
    });
    expect(tokens.expires_in).toBeUndefined();
    expect(tokens.bot_id).toMatch(/^[0-9a-f-]{36}$/);

    const me = await usersMe(tokens.access_token);
    await expectJson(me, 200, {
      object: 'user',
      id: tokens.bot_id,
      type: 'bot',
      name: 'Plugboard test',
      bot: {
        owner: { type: 'user', user: { person: { email: 'ada@acme.example' } } },
        workspace_name: 'Acme Workspace',
        workspace_id: '8d2e4f6a-0ada-4c0d-9e1a-ace000000002',
      },
    });

    const refreshToken = tokens.refresh_token ?? '';
    const refreshed = await flow.refresh(refreshToken);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(refreshToken);
    expect(refreshed.bot_id).toBe(tokens.bot_id);

    // Rotation: the old refresh token is spent, the old access token retired.
    const reused = await postToken({ grant_type: 'refresh_token', refresh_token: refreshToken });
    await expectJsonEqual(reused, 400, {
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    expect((await usersMe(tokens.access_token)).status).toBe(401);
    expect((await usersMe(refreshed.access_token)).status).toBe(200);

    const active = await postOauth('introspect', refreshed.access_token);
    expect(await active.json()).toMatchObject({ active: true, iat: expect.any(Number) });

    const revoked = await postOauth('revoke', refreshed.access_token);
    await expectJsonEqual(revoked, 200, { request_id: expect.any(String) });

    const after = await usersMe(refreshed.access_token);
    await expectJson(after, 401, {
      object: 'error',
      status: 401,
      code: 'unauthorized',
      message: 'API token is invalid.',
    });
    const refreshAfterRevoke = await postToken({
      grant_type: 'refresh_token',
      refresh_token: refreshed.refresh_token ?? '',
    });
    expect(refreshAfterRevoke.status).toBe(400);
    expect(await (await postOauth('introspect', refreshed.access_token)).json()).toMatchObject({
      active: false,
    });
  });

  it('shows a consent page with the account, workspace and capabilities but no secret', async () => {
    const page = await fetch(authorizeUrl());
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('Notion');
    expect(html).toContain('Ada Lovelace · ada@acme.example');
    expect(html).toContain('Acme Workspace');
    expect(html).toContain('Read content');
    expect(html).toMatch(/<button[^>]*>Allow<\/button>/);
    expect(html).toMatch(/<button[^>]*>Deny<\/button>/);
    expect(html).not.toContain(CLIENT_SECRET);
  });

  it('accepts a JSON token request, as the Notion SDK sends it', async () => {
    const callback = await authorize();
    const response = await postToken({
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
    });
    await expectJson(response, 200, { token_type: 'bearer' });
  });

  it('authorises the account set through the control API', async () => {
    await mock.control.setAccount('notion', {
      userId: '11111111-2222-4333-8444-555555555555',
      name: 'Grace Hopper',
      email: 'grace@navy.example',
      workspaceId: '99999999-2222-4333-8444-555555555555',
      workspaceName: 'Navy Workspace',
    });
    const first = await exchange(await authorize());
    expect(first.workspace_name).toBe('Navy Workspace');
    const me = (await (await usersMe(first.access_token)).json()) as {
      bot: { owner: { user: { person: { email: string } } } };
    };
    expect(me.bot.owner.user.person.email).toBe('grace@navy.example');

    await mock.control.reset();
    await flow.registerClient(CLIENT_ID, CLIENT_SECRET);
    const second = await exchange(await authorize());
    expect(second.workspace_name).toBe('Acme Workspace');
    expect(second.bot_id).not.toBe(first.bot_id);
  });

  it('uses the only registered redirect URI when authorize names none', async () => {
    await flow.registerClient('single', 'single-secret');
    const consent = await submitConsent(
      authorizeUrl({ client_id: 'single', redirect_uri: undefined }),
      'Allow',
    );
    const location = new URL(consent.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    const code = location.searchParams.get('code') ?? '';

    // Notion: redirect_uri is not allowed at the token endpoint when authorize sent none.
    const withUri = await postToken(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      basic('single', 'single-secret'),
    );
    await expectJson(withUri, 400, { error: 'invalid_request' });

    const again = await submitConsent(
      authorizeUrl({ client_id: 'single', redirect_uri: undefined }),
      'Allow',
    );
    const code2 = new URL(again.location ?? '').searchParams.get('code') ?? '';
    const ok = await postToken(
      { grant_type: 'authorization_code', code: code2 },
      basic('single', 'single-secret'),
    );
    expect(ok.status).toBe(200);
  });

  it('ignores unknown authorize parameters such as PKCE', async () => {
    const callback = await authorize({ code_challenge: 'abc', code_challenge_method: 'S256' });
    expect((await exchange(callback)).access_token).toMatch(/^ntn_/);
  });
});

describe('notion authorize strictness', () => {
  it('answers Deny with the access_denied redirect', async () => {
    const consent = await submitConsent(authorizeUrl(), 'Deny');
    expect(consent.status).toBe(302);
    const location = new URL(consent.location ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(() => oauth.validateAuthResponse(as(), client, location, 'state-123')).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it.each([
    ...untrustedAuthorizeCases(REDIRECT_URI),
    ['no redirect URI while several are registered', { redirect_uri: undefined }],
  ])('shows an error page, never a redirect, for %s', async (_name, params) => {
    const response = await expectErrorPage(authorizeUrl(params));
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it.each([
    ['response_type is not code', { response_type: 'token' }],
    ['owner is not user', { owner: 'workspace' }],
  ])('redirects with invalid_request when %s', async (_name, params) => {
    const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('refuses a consent form submitted twice', async () => {
    const page = await (await fetch(authorizeUrl())).text();
    const pending = /name="pending" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const submit = () =>
      fetch(`${mock.url}/notion/v1/oauth/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ pending, decision: 'allow' }).toString(),
        redirect: 'manual',
      });
    expect((await submit()).status).toBe(302);
    expect((await submit()).status).toBe(400);
  });
});

describe('notion token strictness', () => {
  async function freshCode(params: Record<string, string | undefined> = {}) {
    return (await authorize(params)).get('code') ?? '';
  }

  it('rejects a wrong client secret', async () => {
    const response = await postToken(
      { grant_type: 'authorization_code', code: await freshCode(), redirect_uri: REDIRECT_URI },
      basic(CLIENT_ID, 'wrong'),
    );
    await expectJson(response, 401, { error: 'invalid_client' });
  });

  it('rejects client credentials sent in the body instead of HTTP Basic', async () => {
    const callback = await authorize();
    const response = await flow.codeGrant(callback, {
      auth: oauth.ClientSecretPost(CLIENT_SECRET),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/HTTP Basic/);
  });

  it('rejects a request without client authentication', async () => {
    const response = await postToken(
      { grant_type: 'authorization_code', code: await freshCode(), redirect_uri: REDIRECT_URI },
      null,
    );
    expect(response.status).toBe(401);
  });

  it('rejects a redirect URI that differs from the authorize request', async () => {
    const response = await postToken({
      grant_type: 'authorization_code',
      code: await freshCode(),
      redirect_uri: OTHER_REDIRECT_URI,
    });
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('rejects a missing redirect URI when authorize sent one', async () => {
    const response = await postToken({ grant_type: 'authorization_code', code: await freshCode() });
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('accepts a code once only', async () => {
    const callback = await authorize();
    await exchange(callback);
    const reused = await postToken({
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
    });
    await expectJsonEqual(reused, 400, {
      error: 'invalid_grant',
      error_description: 'Code has already been used.',
    });
  });

  it('expires codes after ten minutes on the mock clock', async () => {
    const code = await freshCode();
    await mock.control.advanceClock(601);
    const response = await postToken({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('binds codes to the client they were issued to', async () => {
    await flow.registerClient('other', 'other-secret');
    const response = await postToken(
      { grant_type: 'authorization_code', code: await freshCode(), redirect_uri: REDIRECT_URI },
      basic('other', 'other-secret'),
    );
    await expectJson(response, 400, { error: 'invalid_grant' });
  });

  it('rejects unsupported grant types', async () => {
    const response = await postToken({ grant_type: 'client_credentials' });
    await expectJson(response, 400, { error: 'unsupported_grant_type' });
  });
});

describe('notion users/me strictness', () => {
  it('requires Notion-Version', async () => {
    const tokens = await exchange(await authorize());
    const response = await usersMe(tokens.access_token, null);
    await expectJson(response, 400, {
      object: 'error',
      status: 400,
      code: 'missing_version',
      message: expect.stringContaining('Notion-Version'),
    });
  });

  it('rejects an unknown token', async () => {
    const response = await usersMe('ntn_not-a-token');
    await expectJson(response, 401, {
      object: 'error',
      status: 401,
      code: 'unauthorized',
      message: 'API token is invalid.',
    });
  });
});
