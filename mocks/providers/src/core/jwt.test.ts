import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { MockClock } from './clock';
import { ProviderIssuer } from './jwt';

describe('ProviderIssuer', () => {
  it('signs RS256 JWTs that verify against its public JWKS, timed by the mock clock', async () => {
    const clock = new MockClock();
    clock.advance(86_400);
    const issuer = await ProviderIssuer.create('http://127.0.0.1:4010/paypal', clock);
    // The mock clock runs with real time: the signing second lies between these two readings.
    const before = clock.nowSeconds();
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
    const after = clock.nowSeconds();
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(after);
    expect(payload.exp).toBe((payload.iat ?? 0) + 300);
  });
});
