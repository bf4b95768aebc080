import type { FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import { authenticateRequest, codeErrors, refreshFrom, redeemCode, noStore } from '../core/flow';
import { readParams } from '../core/oauth';
import type { Params } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ZoomAccount } from './account';
import { invalidClient, oauthError, tokenResponse } from './responses';
import type { ZoomOAuthError } from './responses';
import type { ZoomStores } from './stores';

/**
 * Zoom takes the parameters "either as query parameters or in the request body" (form). Both are
 * read; the body wins on a clash. A JSON body is not read, as Zoom documents none.
 */
function readZoomParams(request: FastifyRequest): Params {
  const form = /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '');
  return { ...readParams(request.query), ...(form ? readParams(request.body) : {}) };
}

/** What each code failure answers: Zoom words them all as `invalid_request` but PKCE. */
const REDIRECT_MISMATCH: [ZoomOAuthError, string] = ['invalid_request', 'Redirect URI mismatch.'];
const CODE_ERRORS = codeErrors<[ZoomOAuthError, string]>(
  ['invalid_request', 'Invalid authorization code'],
  {
    missing_redirect_uri: REDIRECT_MISMATCH,
    redirect_mismatch: REDIRECT_MISMATCH,
    missing_verifier: ['invalid_request', 'Missing code_verifier.'],
    // Zoom does not document its PKCE error; RFC 7636 §4.6 says invalid_grant.
    pkce_mismatch: ['invalid_grant', 'Invalid code_verifier.'],
  },
);

/** HTTP Basic only: credentials in the body do not count, as at zoom.us. */
function authenticate(
  ctx: ProviderContext<ZoomAccount>,
  request: FastifyRequest,
  params: Params,
): RegisteredClient | undefined {
  const auth = authenticateRequest(ctx, request, params, ['basic']);
  return auth.ok ? auth.client : undefined;
}

/** `POST /oauth/token` and `POST /oauth/revoke` (zoom.us). */
export function registerTokenRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ZoomAccount>,
  stores: ZoomStores,
): void {
  router.post('/oauth/token', 'token', async (request, reply) => {
    const params = readZoomParams(request);
    const client = authenticate(ctx, request, params);
    if (client === undefined) return invalidClient(reply);
    switch (params.grant_type) {
      case 'authorization_code': {
        const redeemed = redeemCode(stores.codes, params, client, { redirectUri: 'always' });
        if (!redeemed.ok) return oauthError(reply, 400, ...CODE_ERRORS[redeemed.reason]);
        const grant = redeemed.data;
        const issued = stores.tokens.issue(client.clientId, {
          account: grant.account,
          scope: grant.scope,
        });
        // Re-authorising the same user ends the tokens of the earlier authorisation (4741).
        stores.remember(issued, { reauthorised: true });
        return noStore(reply, tokenResponse(issued, ctx.baseUrl()));
      }
      case 'refresh_token': {
        const refreshed = refreshFrom(stores.tokens, params, client);
        if (refreshed === undefined) {
          return oauthError(reply, 400, 'invalid_grant', 'Invalid Token!');
        }
        stores.remember(refreshed, { reauthorised: false });
        return noStore(reply, tokenResponse(refreshed, ctx.baseUrl()));
      }
      default:
        return oauthError(reply, 400, 'unsupported_grant_type', 'unsupported grant type');
    }
  });

  router.post('/oauth/revoke', 'revoke', async (request, reply) => {
    const params = readZoomParams(request);
    const client = authenticate(ctx, request, params);
    if (client === undefined) return invalidClient(reply);
    if (params.token === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'Missing token.');
    }
    // Access or refresh token: either ends the whole grant. Unknown tokens (or another
    // client's) change nothing and still succeed, as RFC 7009 allows.
    if (stores.tokens.findByAnyToken(params.token)?.clientId === client.clientId) {
      stores.tokens.revoke(params.token);
    }
    return { status: 'success' };
  });
}
