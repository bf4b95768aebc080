import { PlugboardError } from '@plugboard/contracts';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { OAuth2Provider, ProviderCallContext, TokenSet } from '../types';
import { resolveEndpoint } from './oauth2';

const JwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) });

/** Clock skew allowed between Plugboard and the provider for `exp` / `iat`. */
const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * `at_hash` (OpenID Connect Core 1.0 §3.1.3.6, https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken):
 * the left half of the SHA-256 of the access token, base64url, for RS256.
 */
function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * Verifies the `id_token` a code exchange answered with when `openid` was asked for, where the
 * provider declares how (`idToken`): RS256 signature with a key of the provider's JWKS (fetched
 * through the provider HTTP client, so timeouts and host rules apply), `iss`, `aud` = the
 * client id, `exp` / `iat` against the caller's clock, and `at_hash` when present (OpenID
 * Connect Core 1.0 §3.1.3.7, https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation).
 * One that does not verify fails the connect with PROVIDER_ERROR; nothing is stored. Without
 * an id_token, or for a provider that declares no check (or `notVerified`), it does nothing (an
 * id_token is then kept sealed in the raw token response and not relied on). Plugboard sends no `nonce` (the code
 * flow's `state` and PKCE bind the answer), so none is checked.
 */
export async function verifyIdToken(
  provider: OAuth2Provider,
  ctx: ProviderCallContext,
  tokens: TokenSet,
  now: Date,
): Promise<void> {
  const spec = provider.idToken;
  const jwt = tokens.raw.id_token;
  if (!spec || 'notVerified' in spec || typeof jwt !== 'string') return;
  const refuse = (why: string) =>
    new PlugboardError(
      'PROVIDER_ERROR',
      `${provider.name} answered with an id_token that ${why}. Start connecting again.`,
    );
  const res = await ctx.http.request(provider.id, {
    operation: 'identity',
    method: 'GET',
    url: resolveEndpoint(spec.jwks, ctx.config),
  });
  const jwks = JwksSchema.safeParse(res.body);
  if (res.status !== 200 || !jwks.success) {
    throw refuse(`could not be checked (its signing keys did not load, HTTP ${res.status})`);
  }
  const issuer = resolveEndpoint(spec.issuer, ctx.config);
  const issuers =
    ctx.config.mode === 'live' ? [issuer, ...(spec.liveIssuerAliases ?? [])] : [issuer];
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(jwks.data as JSONWebKeySet), {
      algorithms: ['RS256'],
      issuer: issuers,
      audience: ctx.config.clientId,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch {
    throw refuse('does not verify (signature, issuer, audience or expiry)');
  }
  if (payload.at_hash !== undefined && payload.at_hash !== atHash(tokens.accessToken)) {
    throw refuse('belongs to another access token (at_hash)');
  }
}
