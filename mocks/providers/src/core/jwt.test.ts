import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { MockClock } from './clock';
import { ProviderIssuer } from './jwt';

describe('ProviderIssuer', () => {
  it('signs RS256 JWTs that verify against its public JWKS, timed by the mock clock', async () => {
    const clock = new MockClock();
    clock.advance(86_400);
    const issuer = await ProviderIssuer.create('http://127.0.0.1:4010/paypal', clock);
    const token = await issuer.sign({ sub: 'user-1', aud: 'client-1' }, { expiresInSeconds: 300 });

    const jwks = issuer.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]?.kid });

    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: 'http://127.0.0.1:4010/paypal',
      audience: 'client-1',
      currentDate: new Date(clock.now()),
    });
    expect(payload.sub).toBe('user-1');
    expect(payload.iat).toBe(clock.nowSeconds());
    expect(payload.exp).toBe(clock.nowSeconds() + 300);
  });
});
