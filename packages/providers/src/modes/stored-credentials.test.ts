import { describe, expect, it } from 'vitest';
import {
  parseStoredCredentials,
  serializeCredentials,
  tokenSetOf,
  typedCredentials,
} from './stored-credentials';
import type { Credentials } from './types';

describe('stored credentials', () => {
  it('round-trips every mode', () => {
    const all: Credentials[] = [
      {
        type: 'oauth2',
        accessToken: 'at',
        refreshToken: 'rt',
        tokenType: 'bearer',
        expiresAt: new Date('2026-01-01T00:00:00.000Z'),
        scopes: ['a'],
        raw: { access_token: 'at' },
      },
      { type: 'telegram', session: '1AgAOMTQ5LjE1NC4xNjcuNTA' },
      { type: 'api_key', values: { shop: 'acme.myshopify.com', accessToken: 'shpat_x' } },
    ];
    for (const c of all) expect(parseStoredCredentials(serializeCredentials(c))).toEqual(c);
  });

  it('reads rows written before modes: an OAuth token set stays oauth2', () => {
    const legacy = {
      accessToken: 'at',
      refreshToken: null,
      tokenType: 'bearer',
      expiresAt: '2026-01-01T00:00:00.000Z',
      scopes: [],
      raw: {},
    };
    expect(parseStoredCredentials(JSON.stringify(legacy))).toEqual({
      type: 'oauth2',
      ...legacy,
      expiresAt: new Date(legacy.expiresAt),
    });
  });

  it('reads rows written before modes: a Telegram session in accessToken becomes telegram', () => {
    const legacy = {
      accessToken: '1AgAOMTQ5LjE1NC4xNjcuNTA',
      refreshToken: null,
      tokenType: 'telegram-session',
      expiresAt: null,
      scopes: [],
      raw: {},
    };
    expect(parseStoredCredentials(JSON.stringify(legacy))).toEqual({
      type: 'telegram',
      session: legacy.accessToken,
    });
  });

  it('types a bare token set as the oauth2 mode and gives only that mode a token set', () => {
    const tokens = {
      accessToken: 'at',
      refreshToken: null,
      tokenType: 'bearer',
      expiresAt: null,
      scopes: [],
      raw: {},
    };
    const typed = typedCredentials(tokens);
    expect(typed).toEqual({ type: 'oauth2', ...tokens });
    expect(tokenSetOf(typed)).toEqual(tokens);
    const telegram: Credentials = { type: 'telegram', session: 's' };
    expect(typedCredentials(telegram)).toBe(telegram);
    expect(tokenSetOf(telegram)).toBeNull();
    expect(tokenSetOf({ type: 'api_key', values: { token: 't' } })).toBeNull();
  });

  it('refuses what is not credentials', () => {
    expect(() => parseStoredCredentials('{"type":"api_key"}')).toThrow();
    expect(() => parseStoredCredentials('{"accessToken":1}')).toThrow();
  });
});
