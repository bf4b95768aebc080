import { PlugboardError, PROVIDER_IDS, type ProviderId } from '@plugboard/contracts';
import { describe, expect, it } from 'vitest';
import { catalog, getProvider } from './catalog';
import { readTokenResponse, resolveEndpoint } from './engines/oauth2';
import type { IntegrationConfig } from './types';

const res = (status: number, body: unknown) => ({
  status,
  headers: new Headers(),
  body,
  text: JSON.stringify(body),
});
const now = new Date('2026-01-01T00:00:00Z');

function codeOf(id: ProviderId, status: number, body: unknown): string | undefined {
  try {
    readTokenResponse(getProvider(id), res(status, body), now);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(PlugboardError);
    return (e as PlugboardError).code;
  }
}

describe('the generated registries', () => {
  it('hold one definition per provider folder, whose id is the folder name', () => {
    expect(catalog.map((p) => p.id)).toEqual([...PROVIDER_IDS]);
  });
});

describe('connectable providers', () => {
  const connectable = catalog
    .filter((p) => p.authMode === 'oauth2' && !('comingSoon' in p))
    .map((p) => getProvider(p.id));

  it.each(connectable.map((p) => [p.id, p] as const))(
    '%s resolves every live endpoint to an https host',
    (_id, p) => {
      const live: IntegrationConfig = {
        providerId: p.id,
        mode: 'live',
        clientId: 'id',
        clientSecret: 'secret',
        baseUrl: p.liveBaseUrl,
      };
      for (const endpoint of Object.values(p.endpoints)) {
        expect(
          resolveEndpoint(endpoint, live, {
            token: 't',
            client_id: 'id',
            shop: 'acme-store.myshopify.com',
          }),
        ).toMatch(/^https:\/\/[a-z0-9.-]+\//);
      }
    },
  );
});

describe("token answers that depart from RFC 6749 map onto the engine's codes", () => {
  it.each([
    // GitHub: errors with HTTP 200.
    ['github', 200, { error: 'bad_verification_code' }, 'GRANT_INVALID'],
    ['github', 200, { error: 'incorrect_client_credentials' }, 'PROVIDER_ERROR'],
    // Slack: HTTP 200 `{ ok: false, error }`.
    ['slack', 200, { ok: false, error: 'invalid_code' }, 'GRANT_INVALID'],
    ['slack', 200, { ok: false, error: 'invalid_refresh_token' }, 'GRANT_INVALID'],
    ['slack', 200, { ok: false, error: 'bad_client_secret' }, 'PROVIDER_ERROR'],
    // A Slack install without a user token gives nothing this connection can use.
    ['slack', 200, { ok: true, access_token: 'xoxb-1', token_type: 'bot' }, 'PROVIDER_ERROR'],
    // HubSpot: `{ status, message }`.
    ['hubspot', 400, { status: 'BAD_AUTH_CODE', message: 'x' }, 'GRANT_INVALID'],
    ['hubspot', 400, { status: 'BAD_REFRESH_TOKEN', message: 'x' }, 'GRANT_INVALID'],
    ['hubspot', 400, { status: 'BAD_CLIENT_SECRET', message: 'x' }, 'PROVIDER_ERROR'],
    // Zoom: a bad code is `invalid_request`.
    [
      'zoom',
      400,
      { reason: 'Invalid authorization code', error: 'invalid_request' },
      'GRANT_INVALID',
    ],
    ['zoom', 400, { reason: 'Invalid Token!', error: 'invalid_grant' }, 'GRANT_INVALID'],
    [
      'zoom',
      401,
      { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
      'PROVIDER_ERROR',
    ],
    ['salesforce', 400, { error: 'invalid_grant', error_description: 'expired' }, 'GRANT_INVALID'],
  ] as const)('%s HTTP %i %j → %s', (id, status, body, code) => {
    expect(codeOf(id, status, body)).toBe(code);
  });

  it("reads Slack's user token from authed_user and keeps the whole answer as raw", () => {
    const body = {
      ok: true,
      app_id: 'A1',
      access_token: 'xoxb-bot',
      token_type: 'bot',
      authed_user: { id: 'U1', scope: 'a,b', access_token: 'xoxp-user', token_type: 'user' },
      team: { id: 'T1', name: 'Acme' },
    };
    const t = readTokenResponse(getProvider('slack'), res(200, body), now);
    expect(t).toMatchObject({ accessToken: 'xoxp-user', scopes: ['a', 'b'], raw: body });
    expect(t.expiresAt).toBeNull();
  });

  it("reads a rotated Slack user token from a refresh answer's top level", () => {
    const body = {
      ok: true,
      access_token: 'xoxe.xoxp-2',
      token_type: 'user',
      refresh_token: 'xoxe-1-r2',
      expires_in: 43200,
      scope: 'a',
    };
    const t = readTokenResponse(getProvider('slack'), res(200, body), now);
    expect(t).toMatchObject({ accessToken: 'xoxe.xoxp-2', refreshToken: 'xoxe-1-r2' });
    expect(t.expiresAt?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
  });
});
