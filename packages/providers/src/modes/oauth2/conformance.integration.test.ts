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
import { oauth2Mode } from '.';
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
