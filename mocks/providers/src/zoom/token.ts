import type { FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import { authenticateClient, parseBasicAuth, readParams, verifyPkce } from '../core/oauth';
import type { Params } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ZoomAccount } from './account';
import { invalidClient, oauthError, tokenResponse } from './responses';
import type { ZoomStores } from './stores';

/**
 * Zoom takes the parameters "either as query parameters or in the request body" (form). Both are
 * read; the body wins on a clash. A JSON body is not read, as Zoom documents none.
 */
function readZoomParams(request: FastifyRequest): Params {
  const form = /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '');
  return { ...readParams(request.query), ...(form ? readParams(request.body) : {}) };
}

/** HTTP Basic only: credentials in the body do not count, as at zoom.us. */
function authenticate(
  ctx: ProviderContext<ZoomAccount>,
  request: FastifyRequest,
): RegisteredClient | undefined {
  const credentials = parseBasicAuth(request.headers.authorization);
  if (credentials === undefined) return undefined;
  const client = ctx.findClient(credentials.clientId);
  return authenticateClient(client, credentials) ? client : undefined;
}

/** `POST /oauth/token` and `POST /oauth/revoke` (zoom.us). */
export function registerTokenRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ZoomAccount>,
  stores: ZoomStores,
): void {
  router.route({
    method: 'POST',
    path: '/oauth/token',
    endpoint: 'token',
    handler: async (request, reply) => {
      const client = authenticate(ctx, request);
      if (client === undefined) return invalidClient(reply);
      const params = readZoomParams(request);
      switch (params.grant_type) {
        case 'authorization_code': {
          if (params.code === undefined) {
            return oauthError(reply, 400, 'invalid_request', 'Invalid authorization code');
          }
          const redeemed = stores.codes.redeem(params.code, client.clientId);
          if (!redeemed.ok) {
            return oauthError(reply, 400, 'invalid_request', 'Invalid authorization code');
          }
          const { grant } = redeemed;
          if (params.redirect_uri !== grant.redirectUri) {
            return oauthError(reply, 400, 'invalid_request', 'Redirect URI mismatch.');
          }
          if (grant.pkce !== undefined) {
            if (params.code_verifier === undefined) {
              return oauthError(reply, 400, 'invalid_request', 'Missing code_verifier.');
            }
            // Zoom does not document its PKCE error; RFC 7636 §4.6 says invalid_grant.
            if (!verifyPkce(grant.pkce, params.code_verifier)) {
              return oauthError(reply, 400, 'invalid_grant', 'Invalid code_verifier.');
            }
          }
          const issued = stores.tokens.issue(client.clientId, {
            account: grant.account,
            scope: grant.scope,
          });
          // Re-authorising the same user ends the tokens of the earlier authorisation (4741).
          stores.remember(issued, { reauthorised: true });
          return reply
            .header('cache-control', 'no-store')
            .send(tokenResponse(issued, ctx.baseUrl()));
        }
        case 'refresh_token': {
          const refreshed =
            params.refresh_token === undefined
              ? undefined
              : stores.tokens.refresh(params.refresh_token, client.clientId);
          if (refreshed === undefined || !refreshed.ok) {
            return oauthError(reply, 400, 'invalid_grant', 'Invalid Token!');
          }
          stores.remember(refreshed.grant, { reauthorised: false });
          return reply
            .header('cache-control', 'no-store')
            .send(tokenResponse(refreshed.grant, ctx.baseUrl()));
        }
        default:
          return oauthError(reply, 400, 'unsupported_grant_type', 'unsupported grant type');
      }
    },
  });

  router.route({
    method: 'POST',
    path: '/oauth/revoke',
    endpoint: 'revoke',
    handler: async (request, reply) => {
      const client = authenticate(ctx, request);
      if (client === undefined) return invalidClient(reply);
      const params = readZoomParams(request);
      if (params.token === undefined) {
        return oauthError(reply, 400, 'invalid_request', 'Missing token.');
      }
      // Access or refresh token: either ends the whole grant. Unknown tokens (or another
      // client's) change nothing and still succeed, as RFC 7009 allows.
      if (stores.tokens.findByAnyToken(params.token)?.clientId === client.clientId) {
        stores.tokens.revoke(params.token);
      }
      return { status: 'success' };
    },
  });
}
