import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import { authenticateRequest, redeemCode, noStore } from '../core/flow';
import { readParams } from '../core/oauth';
import type { Params } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { CalendlyAccount } from './account';
import { organizationUri, userUri } from './account';
import { DESCRIPTIONS, oauthError, tokenResponse } from './responses';
import { ACCESS_TOKEN_TTL_SECONDS } from './stores';
import type { CalendlyStores } from './stores';
import { createTokenRateLimit } from './rate-limit';

/** RFC 6749's `invalid_request` for a missing parameter, in this provider's words. */
const missingParam = (reply: FastifyReply, name: string) =>
  oauthError(reply, 400, 'invalid_request', `Missing required parameter: ${name}.`);

/**
 * Web clients authenticate with HTTP Basic (documented); `client_id` + `client_secret` in the
 * body are accepted too (Nango sends them there and it works against Calendly). Both at once must
 * name the same client. Every registered mock client is a web client, so the secret is required.
 */
function authenticate(
  ctx: ProviderContext<CalendlyAccount>,
  request: FastifyRequest,
  params: Params,
): RegisteredClient | undefined {
  const auth = authenticateRequest(ctx, request, params, ['basic', 'body']);
  return auth.ok ? auth.client : undefined;
}

/** `POST /oauth/token`, `/oauth/revoke`, `/oauth/introspect` (auth.calendly.com). */
export function registerTokenRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<CalendlyAccount>,
  stores: CalendlyStores,
): void {
  const rateLimit = createTokenRateLimit(ctx);
  router.post('/oauth/token', 'token', async (request, reply) => {
    const params = readParams(request.body);
    const client = authenticate(ctx, request, params);
    if (client === undefined) {
      return oauthError(reply, 401, 'invalid_client', DESCRIPTIONS.invalid_client);
    }
    switch (params.grant_type) {
      case 'authorization_code': {
        const missing = (['code', 'redirect_uri'] as const).find(
          (name) => params[name] === undefined,
        );
        if (missing !== undefined) {
          return missingParam(reply, missing);
        }
        // Any redemption attempt spends the code (see CodeStore.redeem); every failure
        // reads alike, as Doorkeeper words it. A code from a PKCE authorize needs its verifier;
        // one from the plain code flow (documented, PKCE recommended) needs none.
        const redeemed = redeemCode(stores.codes, params, client, { redirectUri: 'always' });
        if (!redeemed.ok) {
          if (redeemed.reason === 'missing_verifier') return missingParam(reply, 'code_verifier');
          return oauthError(reply, 400, 'invalid_grant', DESCRIPTIONS.invalid_grant);
        }
        const grant = redeemed.data;
        if (!rateLimit.allow(grant.account.userUuid, reply)) return reply;
        const issued = stores.tokens.issue(client.clientId, {
          account: grant.account,
          scope: grant.scope,
        });
        stores.remember(issued);
        return noStore(reply, tokenResponse(issued, ACCESS_TOKEN_TTL_SECONDS));
      }
      case 'refresh_token': {
        if (params.refresh_token === undefined) {
          return missingParam(reply, 'refresh_token');
        }
        // Single use: a successful refresh retires the refresh token it was given.
        const current = stores.tokens.findByAnyToken(params.refresh_token);
        if (current !== undefined && !rateLimit.allow(current.data.account.userUuid, reply)) {
          return reply;
        }
        const refreshed = stores.tokens.refresh(params.refresh_token, client.clientId);
        if (!refreshed.ok) {
          return oauthError(reply, 400, 'invalid_grant', DESCRIPTIONS.invalid_grant);
        }
        stores.remember(refreshed.grant);
        return noStore(reply, tokenResponse(refreshed.grant, ACCESS_TOKEN_TTL_SECONDS));
      }
      case undefined:
        return missingParam(reply, 'grant_type');
      default:
        return oauthError(
          reply,
          400,
          'unsupported_grant_type',
          'The authorization grant type is not supported by the authorization server.',
        );
    }
  });

  router.post('/oauth/revoke', 'revoke', async (request, reply) => {
    const params = readParams(request.body);
    if (params.token === undefined) {
      return missingParam(reply, 'token');
    }
    const client = authenticate(ctx, request, params);
    const grant = stores.tokens.findByAnyToken(params.token);
    // Doorkeeper answers 403 both for a client that fails authentication and for a token
    // issued to another client; an unknown token is a silent success (RFC 7009).
    if (client === undefined || (grant !== undefined && grant.clientId !== client.clientId)) {
      return oauthError(reply, 403, 'unauthorized_client', DESCRIPTIONS.unauthorized_revoke);
    }
    if (grant !== undefined) stores.tokens.revoke(params.token);
    return {};
  });

  router.post('/oauth/introspect', 'introspect', async (request, reply) => {
    const params = readParams(request.body);
    const client = authenticate(ctx, request, params);
    if (client === undefined) {
      return oauthError(reply, 401, 'invalid_client', DESCRIPTIONS.invalid_client);
    }
    if (params.token === undefined) {
      return missingParam(reply, 'token');
    }
    const grant = stores.tokens.findByAnyToken(params.token);
    if (grant === undefined || grant.clientId !== client.clientId) return { active: false };
    const isAccess = params.token === grant.accessToken;
    return {
      active: true,
      scope: grant.data.scope,
      client_id: client.clientId,
      token_type: 'Bearer',
      // A refresh token does not expire until used, so it has no exp.
      ...(isAccess && grant.accessTokenExpiresAt !== null
        ? { exp: Math.floor(grant.accessTokenExpiresAt / 1000) }
        : {}),
      iat: Math.floor(grant.issuedAt / 1000),
      owner: userUri(grant.data.account),
      organization: organizationUri(grant.data.account),
    };
  });
}
