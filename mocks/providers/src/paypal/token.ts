import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import { authenticateClient, parseBasicAuth, parseBearer, readParams } from '../core/oauth';
import type { Params } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { PayPalAccount } from './account';
import { userIdUrl } from './account';
import { oauthError, tokenResponse } from './responses';
import type { PayPalStores } from './stores';
import { noStore } from '../core/flow';

/** PayPal's token endpoint reads form bodies only; anything else carries no parameters. */
function readFormBody(request: FastifyRequest): Params {
  const type = request.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') ? readParams(request.body) : {};
}

const CLIENT_AUTH_FAILED = 'Client Authentication failed';

/**
 * HTTP Basic only: body credentials get the same 401 as wrong ones, as they would from PayPal.
 * Answers the error itself and returns undefined when authentication fails.
 */
function authenticateBasic(
  ctx: ProviderContext<PayPalAccount>,
  request: FastifyRequest,
  reply: FastifyReply,
): RegisteredClient | undefined {
  const credentials = parseBasicAuth(request.headers.authorization);
  const client = credentials === undefined ? undefined : ctx.findClient(credentials.clientId);
  if (credentials === undefined || !authenticateClient(client, credentials)) {
    void oauthError(reply, 401, 'invalid_client', CLIENT_AUTH_FAILED);
    return undefined;
  }
  return client;
}

/** `POST /v1/oauth2/token` and `POST /v1/oauth2/token/terminate`. */
export function registerTokenRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<PayPalAccount>,
  stores: PayPalStores,
): void {
  router.post('/v1/oauth2/token', 'token', async (request, reply) => {
    const client = authenticateBasic(ctx, request, reply);
    if (client === undefined) return reply;
    const params = readFormBody(request);
    const ok = (body: unknown) => noStore(reply, body);

    switch (params.grant_type) {
      case 'authorization_code': {
        if (params.code === undefined) {
          return oauthError(reply, 400, 'invalid_request', 'authorization code is null');
        }
        const redeemed = stores.codes.redeem(params.code, client.clientId);
        if (!redeemed.ok) {
          return oauthError(reply, 400, 'invalid_grant', 'Invalid authorization code');
        }
        const { account, scopes, nonce, authTime } = redeemed.grant;
        // PayPal's own clients send no redirect_uri here; one that is sent must be the
        // authorize request's.
        if (
          params.redirect_uri !== undefined &&
          params.redirect_uri !== redeemed.grant.redirectUri
        ) {
          return oauthError(reply, 400, 'invalid_grant', 'redirect_uri mismatch');
        }
        const grant = stores.tokens.issue(client.clientId, { account, scopes });
        const issuer = await ctx.issuer();
        const idToken = scopes.includes('openid')
          ? await issuer.sign({
              sub: userIdUrl(account),
              aud: client.clientId,
              auth_time: authTime,
              ...(nonce === undefined ? {} : { nonce }),
            })
          : undefined;
        return ok(
          tokenResponse(grant, ctx.clock, {
            refreshToken: grant.refreshToken,
            ...(idToken === undefined ? {} : { idToken }),
          }),
        );
      }
      case 'refresh_token': {
        const refreshToken = params.refresh_token;
        if (refreshToken === undefined) {
          return oauthError(reply, 400, 'invalid_request', 'refresh token is null');
        }
        // findByAnyToken also matches access tokens; only the refresh token may refresh.
        const current = stores.tokens.findByAnyToken(refreshToken);
        const refreshed =
          current?.refreshToken === refreshToken
            ? stores.tokens.refresh(refreshToken, client.clientId)
            : undefined;
        if (refreshed === undefined || !refreshed.ok) {
          return oauthError(reply, 400, 'invalid_grant', 'Invalid refresh token');
        }
        // A new access token only; the refresh token stays the same and is not repeated.
        return ok(tokenResponse(refreshed.grant, ctx.clock));
      }
      case undefined:
        return oauthError(reply, 400, 'unsupported_grant_type', 'Grant Type is NULL');
      default:
        return oauthError(
          reply,
          400,
          'unsupported_grant_type',
          `Grant Type is not supported: ${params.grant_type}`,
        );
    }
  });

  router.post('/v1/oauth2/token/terminate', 'revoke', async (request, reply) => {
    // Clients call this with the app's Basic credentials or with the user's access token.
    const bearer = parseBearer(request.headers.authorization);
    const caller =
      bearer === undefined
        ? authenticateBasic(ctx, request, reply)?.clientId
        : stores.tokens.findByAccessToken(bearer)?.clientId;
    if (caller === undefined) {
      if (bearer !== undefined) {
        return oauthError(
          reply,
          401,
          'invalid_token',
          'The token passed in was not found in the system',
        );
      }
      return reply;
    }
    const params = readFormBody(request);
    if (params.token === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'token is null');
    }
    const hint = params.token_type_hint?.toUpperCase();
    if (hint !== undefined && hint !== 'ACCESS_TOKEN' && hint !== 'REFRESH_TOKEN') {
      return oauthError(
        reply,
        400,
        'invalid_request',
        'token_type_hint must be ACCESS_TOKEN or REFRESH_TOKEN',
      );
    }
    // Either token ends the whole grant. Unknown tokens, or another app's, change nothing
    // and still answer 200 (RFC 7009).
    if (stores.tokens.findByAnyToken(params.token)?.clientId === caller) {
      stores.tokens.revoke(params.token);
    }
    return reply.status(200).send();
  });
}
