import { PlugboardError } from '@plugboard/contracts';
import { describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import type { OAuth2Provider } from '../types';
import { ProviderHttp } from '../http';
import {
  buildAuthorizationUrl,
  clientAuthenticatedRequest,
  readTokenResponse,
  refreshTokens,
  resolveEndpoint,
} from './oauth2';

const notion = getProvider('notion');
const config = {
  providerId: 'notion' as const,
  mode: 'mock' as const,
  clientId: 'id with space',
  clientSecret: 's:ecret',
  baseUrl: 'http://127.0.0.1:4010/notion',
};
const res = (status: number, body: unknown) => ({
  status,
  headers: new Headers(),
  body,
  text: JSON.stringify(body),
});

describe('authorization URL', () => {
  it('carries client, exact redirect URI, state, response type and provider params', () => {
    const url = new URL(
      buildAuthorizationUrl(notion, config, {
        redirectUri: 'https://pb.example/oauth/callback/notion',
        state: 's1',
        codeChallenge: 'c1',
      }),
    );
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:4010/notion/v1/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'id with space',
      redirect_uri: 'https://pb.example/oauth/callback/notion',
      response_type: 'code',
      state: 's1',
      owner: 'user',
    });
  });

  it('adds S256 PKCE (never plain) and joins scopes with the provider separator', () => {
    const withPkce: OAuth2Provider = {
      ...notion,
      pkce: true,
      scopes: ['read_products', 'write_orders'],
      scopeSeparator: ',',
    };
    const url = new URL(
      buildAuthorizationUrl(withPkce, config, {
        redirectUri: 'https://x/cb',
        state: 's',
        codeChallenge: 'ch',
      }),
    );
    expect(url.searchParams.get('code_challenge')).toBe('ch');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe('read_products,write_orders');
  });

  it('fills endpoint inputs encoded, and keeps absolute endpoints', () => {
    expect(resolveEndpoint('/store/{shop}/admin', config, { shop: 'a/b' })).toBe(
      'http://127.0.0.1:4010/notion/store/a%2Fb/admin',
    );
    expect(resolveEndpoint('https://other.example/token', config)).toBe(
      'https://other.example/token',
    );
    expect(() => resolveEndpoint('/store/{shop}', config)).toThrow(/shop/);
  });

  it('puts an endpoint on its own live host, but on the mock prefix in mock mode', () => {
    const api = { liveHost: 'https://api.example.com', path: '/v1/me' };
    const derived = { liveHost: (b: URL) => b.origin.replace('://api.', '://www.'), path: '/x' };
    expect(resolveEndpoint(api, config)).toBe('http://127.0.0.1:4010/notion/v1/me');
    const live = { ...config, mode: 'live' as const, baseUrl: 'https://api.sandbox.example' };
    expect(resolveEndpoint(api, live)).toBe('https://api.example.com/v1/me');
    expect(resolveEndpoint(derived, live)).toBe('https://www.sandbox.example/x');
    expect(resolveEndpoint('/token', live)).toBe('https://api.sandbox.example/token');
  });

  it('sends the scopes in the parameter the provider names', () => {
    const p: OAuth2Provider = { ...notion, scopes: ['a', 'b'], scopeParam: 'user_scope' };
    const url = new URL(
      buildAuthorizationUrl(p, config, {
        redirectUri: 'https://x/cb',
        state: 's',
        codeChallenge: null,
      }),
    );
    expect(url.searchParams.get('user_scope')).toBe('a b');
    expect(url.searchParams.has('scope')).toBe(false);
  });
});

describe('client authentication', () => {
  it('Basic encodes id and secret per RFC 6749 §2.3.1 and keeps them out of the body', () => {
    const { headers, body } = clientAuthenticatedRequest(notion, config, {
      grant_type: 'authorization_code',
    });
    const decoded = Buffer.from(headers.authorization!.replace('Basic ', ''), 'base64').toString();
    expect(decoded).toBe('id%20with%20space:s%3Aecret');
    expect(body).toEqual({ json: { grant_type: 'authorization_code' } });
    expect(headers['notion-version']).toBeTruthy();
  });

  it('secret-bearer auth sends the secret alone as a Bearer token', () => {
    const p: OAuth2Provider = { ...notion, clientAuth: 'secret-bearer', tokenBody: 'form' };
    const { headers, body } = clientAuthenticatedRequest(p, config, { grant_type: 'x' });
    expect(headers.authorization).toBe('Bearer s:ecret');
    expect(body).toEqual({ form: { grant_type: 'x' } });
  });

  it('body auth puts them in a form body', () => {
    const p: OAuth2Provider = { ...notion, clientAuth: 'body', tokenBody: 'form' };
    const { headers, body } = clientAuthenticatedRequest(p, config, { grant_type: 'x' });
    expect(headers.authorization).toBeUndefined();
    expect(body).toEqual({
      form: { grant_type: 'x', client_id: 'id with space', client_secret: 's:ecret' },
    });
  });
});

describe('token responses', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('reads the standard fields and computes expiry', () => {
    const t = readTokenResponse(
      notion,
      res(200, { access_token: 'a', refresh_token: 'r', expires_in: 3600, scope: 'x y' }),
      now,
    );
    expect(t).toMatchObject({ accessToken: 'a', refreshToken: 'r', scopes: ['x', 'y'] });
    expect(t.expiresAt?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });

  it.each([
    [400, { error: 'invalid_grant' }, 'GRANT_INVALID'],
    [401, { error: 'invalid_client' }, 'PROVIDER_ERROR'],
    [400, { error: 'invalid_request' }, 'PROVIDER_ERROR'],
    [200, { token_type: 'bearer' }, 'PROVIDER_ERROR'],
    // An error sent with HTTP 200 is still an error.
    [200, { error: 'invalid_grant' }, 'GRANT_INVALID'],
  ])('HTTP %i %j → %s, with a message that names no secret', (status, body, code) => {
    const err = (() => {
      try {
        readTokenResponse(notion, res(status, body), now);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PlugboardError);
    expect((err as PlugboardError).code).toBe(code);
    expect((err as PlugboardError).message).toMatch(/Notion/);
  });
});

describe('refresh keeps what the answer leaves out', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const refreshWith = (answer: Record<string, unknown>) =>
    refreshTokens(
      notion,
      {
        http: new ProviderHttp({ timeoutMs: 1000, fetch: async () => Response.json(answer) }),
        config,
      },
      { refreshToken: 'r-old', tokenUrl: 'http://x/token', now, scopes: ['granted'] },
    );

  it.each([
    ['no refresh_token', {}],
    ['refresh_token null', { refresh_token: null }],
    ['an empty refresh_token', { refresh_token: '' }],
  ])('%s keeps the stored refresh token', async (_what, extra) => {
    const t = await refreshWith({ access_token: 'a2', ...extra });
    expect(t).toMatchObject({ accessToken: 'a2', refreshToken: 'r-old' });
  });

  it('a rotated refresh token replaces the stored one', async () => {
    expect((await refreshWith({ access_token: 'a2', refresh_token: 'r-new' })).refreshToken).toBe(
      'r-new',
    );
  });

  it('no scope keeps the scopes granted before; a scope replaces them', async () => {
    expect((await refreshWith({ access_token: 'a2' })).scopes).toEqual(['granted']);
    expect((await refreshWith({ access_token: 'a2', scope: 'x y' })).scopes).toEqual(['x', 'y']);
  });
});

describe('catalog', () => {
  it('knows connectable, coming-soon and unknown providers apart', () => {
    expect(getProvider('notion').id).toBe('notion');
    expect(() => getProvider('telegram')).toThrow(
      expect.objectContaining({ code: 'PROVIDER_NOT_AVAILABLE' }),
    );
    expect(() => getProvider('nope')).toThrow(
      expect.objectContaining({ code: 'PROVIDER_UNKNOWN' }),
    );
  });
});
