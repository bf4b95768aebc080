/**
 * The conformance suite: every OAuth provider of the catalog (a new folder joins by itself)
 * through the same checks against the mock provider server, which is an independent
 * implementation written from the providers' documentation (mocks/providers/README.md):
 * authorize parameters (client, exact redirect URI, state, PKCE S256, scopes), code exchange,
 * identity mapped onto the provider's typed metadata, refresh (rotation persisted, a missing
 * refresh token keeps the old one, a dead grant is GRANT_INVALID), revoke, and the provider's
 * error answers mapped onto Plugboard's codes. A new provider is done when its rows pass.
 */
import { ConnectionMetadataSchema, PlugboardError } from '@plugboard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { oauth2Mode } from '.';
import { verifyIdToken } from '../../engines/id-token';
import { resolveEndpoint } from '../../engines/oauth2';
import { serializeCredentials } from '../stored-credentials';
import { mockConnections } from '../../testing/mock-connections.generated';
import {
  oauthProviders,
  redirectUriOf,
  startMockHarness,
  type ConnectOptions,
  type MockHarness,
} from './mock-harness';

let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

/**
 * OpenID Connect: every provider that asks for `openid` by default or declares how its id_token
 * is verified, connected with `openid`. Where the mock signs an id_token the provider must
 * declare its check (`idToken`), and Plugboard refuses one that does not verify before anything
 * is stored (Salesforce:
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm&type=5;
 * Google: https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken).
 */
const openidProviders = oauthProviders.filter(
  (p) => p.idToken !== undefined || p.scopes.includes('openid'),
);
const HOURS_2 = 2 * 3600 * 1000;

describe.each(openidProviders)('id_token on openid: $id', (provider) => {
  const scopes = provider.scopes.includes('openid') ? undefined : [...provider.scopes, 'openid'];
  const connect = (opts: ConnectOptions = {}) =>
    mock.connect(provider, { ...(scopes ? { scopes } : {}), ...opts });
  const check =
    provider.idToken && !('notVerified' in provider.idToken) ? provider.idToken : undefined;

  it('the mock signs an id_token, Plugboard verifies it and keeps it sealed with the tokens', async () => {
    const { credentials, config, account } = await connect();
    const jwt = credentials.raw.id_token;
    if (typeof jwt !== 'string') {
      // This provider's mock signs none: nothing is relied on, so nothing may be declared.
      expect(provider.idToken).toBeUndefined();
      expect(account.accountId).toBeTruthy();
      return;
    }
    expect(
      provider.idToken,
      'a provider whose mock signs an id_token declares its check (or why there is none)',
    ).toBeDefined();
    // Kept sealed with the tokens either way: the raw answer is what is stored.
    expect(JSON.parse(serializeCredentials(credentials)).raw.id_token).toBe(jwt);
    if (!check) return;
    // Independently of Plugboard's check: the mock's signature, issuer and audience hold.
    const { payload } = await jwtVerify(
      jwt,
      createRemoteJWKSet(new URL(resolveEndpoint(check.jwks, config))),
      { issuer: resolveEndpoint(check.issuer, config), audience: config.clientId },
    );
    expect(payload.sub).toBeTruthy();
  });

  it("an id_token that has expired by Plugboard's clock fails the connect", async () => {
    if (!check) return;
    const failed = await codeOf(connect({ now: new Date(Date.now() + HOURS_2) }));
    expect(failed.code).toBe('PROVIDER_ERROR');
    expect(failed.message).toMatch(/id_token/);
  });

  it("another app's, a tampered and another access token's id_token are refused", async () => {
    if (!check) return;
    const mine = await connect();
    const ctx = { http: mock.http, config: mine.config, inputs: mine.inputs };
    const now = new Date();
    const jwt = mine.credentials.raw.id_token as string;
    // The same token passes: the refusals below are for what changed.
    await verifyIdToken(provider, ctx, mine.credentials, now);
    // Another app's (aud), with its own access token so at_hash would match.
    const theirs = await connect({ clientId: 'other-openid-client' });
    // A claim changed after signing.
    const [header, body, signature] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as object;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString(
      'base64url',
    );
    // My app's id_token beside another access token of mine (at_hash).
    const again = await connect();
    const withIdToken = (c: typeof mine.credentials, idToken: string) => ({
      ...c,
      raw: { ...c.raw, id_token: idToken },
    });
    for (const tokens of [
      theirs.credentials,
      withIdToken(mine.credentials, `${header}.${forged}.${signature}`),
      withIdToken(again.credentials, jwt),
    ]) {
      expect((await codeOf(verifyIdToken(provider, ctx, tokens, now))).code).toBe('PROVIDER_ERROR');
    }
  });
});

/** The PlugboardError code a failed call ended with. */
const codeOf = async (call: Promise<unknown>) => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(PlugboardError);
  return error as PlugboardError & { retryAfterSeconds?: number };
};

describe.each(oauthProviders)('$id', (provider) => {
  const connect = (opts?: ConnectOptions) => mock.connect(provider, opts);
  const expected = mockConnections.find((c) => c.id === provider.id);

  it('authorize URL: client, exact redirect URI, code, state, S256 PKCE as declared, scopes', async () => {
    const { authorizationUrl: url } = await connect();
    const q = url.searchParams;
    expect(q.get('client_id')).toBe(mock.config(provider).clientId);
    expect(q.get('redirect_uri')).toBe(redirectUriOf(provider.id));
    expect(q.get('response_type')).toBe('code');
    expect(q.get('state')).toMatch(/^[\w-]{16,}$/);
    if (provider.pkce) {
      expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(q.get('code_challenge_method')).toBe('S256');
    } else {
      expect(q.has('code_challenge')).toBe(false);
    }
    const scope = q.get(provider.scopeParam ?? 'scope');
    expect(scope).toBe(
      provider.scopes.length ? provider.scopes.join(provider.scopeSeparator) : null,
    );
  });

  it('exchange and identity: a typed account, the token works for identity again', async () => {
    const { credentials, account, config, inputs } = await connect();
    const ctx = { http: mock.http, config, inputs };
    expect(credentials.accessToken).toBeTruthy();
    expect(account.metadata.providerId).toBe(provider.id);
    expect(ConnectionMetadataSchema.safeParse(account.metadata).success).toBe(true);
    if (expected) {
      expect(account).toMatchObject({ accountId: expected.accountId, label: expected.label });
    }
    const again = await oauth2Mode.identity(provider, credentials, ctx);
    expect(again.accountId).toBe(account.accountId);
  });

  it('refresh: a new access token; a rotated refresh token replaces the old, which is then dead', async () => {
    const { credentials, ctx } = await connect();
    if (credentials.refreshToken === null) {
      expect(oauth2Mode.refreshable(credentials)).toBe(false);
      return;
    }
    const first = await oauth2Mode.refresh(provider, credentials, ctx);
    expect(first.accessToken).not.toBe(credentials.accessToken);
    expect(first.refreshToken).toBeTruthy();
    if (expected && expected.refresh !== 'none') {
      expect(first.refreshToken === credentials.refreshToken ? 'stable' : 'rotating').toBe(
        expected.refresh,
      );
    }
    // Using the new one first (Shopify keeps the old one until its replacement is used).
    const second = await oauth2Mode.refresh(provider, first, ctx);
    expect(second.accessToken).toBeTruthy();
    if (first.refreshToken !== credentials.refreshToken) {
      expect((await codeOf(oauth2Mode.refresh(provider, credentials, ctx))).code).toBe(
        'GRANT_INVALID',
      );
    }
  });

  it('a refresh answer without refresh_token keeps the stored one, and the next refresh works', async () => {
    const { credentials, ctx } = await connect();
    if (credentials.refreshToken === null) {
      // Nothing to keep: this provider (in its default configuration) issues no refresh token.
      expect(oauth2Mode.refreshable(credentials)).toBe(false);
      return;
    }
    await mock.fault(provider, 'omit_refresh_token');
    const first = await oauth2Mode.refresh(provider, credentials, ctx);
    // The mock really left it out, and the stored one survived.
    expect(first.raw.refresh_token).toBeUndefined();
    expect(first.refreshToken).toBe(credentials.refreshToken);
    expect(first.accessToken).not.toBe(credentials.accessToken);
    const second = await oauth2Mode.refresh(provider, first, ctx);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBeTruthy();
  });

  it('invalid_grant from the token endpoint is GRANT_INVALID (refresh, else exchange)', async () => {
    const { credentials, ctx } = await connect();
    await mock.fault(provider, 'invalid_grant');
    const call = credentials.refreshToken
      ? oauth2Mode.refresh(provider, credentials, ctx)
      : connect();
    expect((await codeOf(call)).code).toBe('GRANT_INVALID');
  });

  it.each([
    ['error_500', 'PROVIDER_UNAVAILABLE'],
    ['rate_limit', 'PROVIDER_UNAVAILABLE'],
  ])('a token endpoint answering %s is %s, with the wait for a 429', async (kind, code) => {
    await mock.fault(provider, kind, 'token', { retryAfterSeconds: 7 });
    const error = await codeOf(connect());
    expect(error.code).toBe(code);
    if (kind === 'rate_limit') expect(error.retryAfterSeconds).toBe(7);
  });

  it('a wrong client secret is refused and named as Plugboard configuration', async () => {
    const error = await codeOf(connect({ wrongSecret: true }));
    // Shopify's signed callback fails first: the secret is the HMAC key.
    expect(error.code).toBe(provider.verifyCallback ? 'HMAC_INVALID' : 'PROVIDER_ERROR');
    if (error.code === 'PROVIDER_ERROR') expect(error.message).toMatch(/client credentials/);
  });

  it('an unregistered redirect URI gets no code', async () => {
    await mock.register(provider);
    const url = new URL((await connect()).authorizationUrl);
    url.searchParams.set('redirect_uri', 'https://attacker.example/cb');
    const { query } = await mock.consent(url.toString());
    expect(query.code).toBeUndefined();
  });

  it('revoke: done where the provider can, after which the token no longer works', async () => {
    const { credentials, ctx, config, inputs } = await connect();
    const revoked = await oauth2Mode.revoke(provider, credentials, ctx);
    expect(revoked).toBe(provider.revoke !== undefined);
    if (revoked) {
      const call = oauth2Mode.identity(provider, credentials, { http: mock.http, config, inputs });
      expect((await codeOf(call)).code).toBe('PROVIDER_ERROR');
    }
  });
});

/**
 * Providers whose app settings change the token lifecycle, each in its other configuration
 * (mock control calls, mocks/providers/README.md): the refresh rows again.
 */
const appSetting = (path: string, body: object) => (config: { clientId: string }) =>
  mock.control('POST', path, { clientId: config.clientId, ...body });
const variants = [
  {
    name: 'github as a GitHub App',
    id: 'github',
    opts: { before: appSetting('/github/apps', { expiringUserTokens: true }) },
  },
  {
    name: 'slack with token rotation',
    id: 'slack',
    opts: { before: appSetting('/slack/apps', { tokenRotation: true }) },
  },
  {
    name: 'slack with token rotation and a bot token',
    id: 'slack',
    opts: {
      before: appSetting('/slack/apps', { tokenRotation: true }),
      scopes: ['channels:read', 'users:read', 'bot:channels:read'],
    },
  },
  {
    name: 'salesforce with refresh token rotation',
    id: 'salesforce',
    opts: { before: appSetting('/salesforce/apps', { rotateRefreshTokens: true }) },
  },
];

describe.each(variants)('$name', ({ id, opts }) => {
  const provider = oauthProviders.find((p) => p.id === id)!;

  it('expires, rotates on refresh, and the rotated-out refresh token is GRANT_INVALID', async () => {
    const { credentials, ctx } = await mock.connect(provider, opts);
    expect(credentials.expiresAt).not.toBeNull();
    const first = await oauth2Mode.refresh(provider, credentials, ctx);
    expect(first.refreshToken).toBeTruthy();
    expect(first.refreshToken).not.toBe(credentials.refreshToken);
    expect((await codeOf(oauth2Mode.refresh(provider, credentials, ctx))).code).toBe(
      'GRANT_INVALID',
    );
  });

  it('a refresh answer without refresh_token keeps the stored one', async () => {
    const { credentials, ctx } = await mock.connect(provider, opts);
    await mock.fault(provider, 'omit_refresh_token');
    const first = await oauth2Mode.refresh(provider, credentials, ctx);
    expect(first.refreshToken).toBe(credentials.refreshToken);
    expect((await oauth2Mode.refresh(provider, first, ctx)).accessToken).toBeTruthy();
  });
});
