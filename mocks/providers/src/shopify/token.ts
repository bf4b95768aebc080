import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import type { Grant } from '../core/grants';
import { authenticateClient, parseBasicAuth, readParams } from '../core/oauth';
import type { Params } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ShopifyAccount } from './account';
import { apiErrors, associatedUser, oauthError } from './responses';
import { shopDomain } from './shop';
import type { ShopifyGrantData, ShopifyStores } from './stores';
import { ACCESS_TOKEN_TTL, ONLINE_TOKEN_TTL, REFRESH_TOKEN_TTL } from './stores';
import { noStore } from '../core/flow';

const CODE_NOT_FOUND = 'The authorization code was not found or was already used';

type Authenticated = { client: RegisteredClient; params: Params };

/**
 * Shopify takes the app's credentials as `client_id`/`client_secret` in the body (JSON, as
 * shopify-api-js sends, or form). HTTP Basic is not a way in: a client relying on it would fail
 * against the real store too. Answers the error itself when authentication fails.
 */
function authenticate(
  ctx: ProviderContext<ShopifyAccount>,
  request: FastifyRequest,
  reply: FastifyReply,
): Authenticated | undefined {
  const params = readParams(request.body);
  const { client_id: clientId, client_secret: clientSecret } = params;
  if (clientId === undefined || clientSecret === undefined) {
    void oauthError(
      reply,
      401,
      'invalid_client',
      parseBasicAuth(request.headers.authorization) === undefined
        ? 'client_id and client_secret are required in the request body.'
        : 'Client credentials must be sent as client_id and client_secret in the request body, not with HTTP Basic.',
    );
    return undefined;
  }
  const client = ctx.findClient(clientId);
  if (!authenticateClient(client, { clientId, clientSecret })) {
    void oauthError(
      reply,
      401,
      'invalid_client',
      'Client authentication failed: unknown client or wrong client secret.',
    );
    return undefined;
  }
  return { client, params };
}

/** shopify-api-js sends `expiring: "1"`; Nango sends the number 1. */
function wantsExpiring(body: unknown): boolean {
  const value = (body as { expiring?: unknown } | null | undefined)?.expiring;
  return value === '1' || value === 1 || value === true;
}

function expiringResponse(grant: Grant<ShopifyGrantData>) {
  return {
    access_token: grant.accessToken,
    scope: grant.data.scopes.join(','),
    expires_in: ACCESS_TOKEN_TTL,
    refresh_token: grant.refreshToken,
    refresh_token_expires_in: REFRESH_TOKEN_TTL,
  };
}

/** `POST /store/{shop}/admin/oauth/access_token`: code exchange and refresh. */
export function registerTokenRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ShopifyAccount>,
  stores: ShopifyStores,
): void {
  router.post('/store/:shop/admin/oauth/access_token', 'token', async (request, reply) => {
    const shop = shopDomain(request.params);
    if (shop === undefined) return apiErrors(reply, 404, 'Not Found');
    const auth = authenticate(ctx, request, reply);
    if (auth === undefined) return reply;
    const { client, params } = auth;
    const ok = (body: unknown) => noStore(reply, body);

    if (params.grant_type === 'refresh_token') {
      if (params.refresh_token === undefined) {
        return oauthError(reply, 400, 'invalid_request', 'refresh_token is required.');
      }
      const refreshed = stores.refresh(params.refresh_token, client.clientId, shop);
      if (refreshed === undefined) {
        return oauthError(
          reply,
          400,
          'invalid_grant',
          'The refresh token is invalid, expired, revoked or was already used.',
        );
      }
      return ok(expiringResponse(refreshed));
    }
    // The code exchange has no grant_type; generic OAuth clients send authorization_code,
    // which is tolerated. Anything else is not a grant this endpoint serves.
    if (params.grant_type !== undefined && params.grant_type !== 'authorization_code') {
      return oauthError(
        reply,
        400,
        'unsupported_grant_type',
        `The grant type ${params.grant_type} is not supported.`,
      );
    }
    if (params.code === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'code is required.');
    }
    const redeemed = stores.codes.redeem(params.code, client.clientId);
    // Shopify answers every bad code the same way, including a code from another store.
    if (!redeemed.ok || redeemed.grant.shop !== shop) {
      return oauthError(reply, 400, 'invalid_request', CODE_NOT_FOUND);
    }
    const { scopes, online, account } = redeemed.grant;
    const data = { shop, scopes, account, installId: stores.install(shop, client.clientId) };
    const scope = scopes.join(',');
    if (online) {
      const grant = stores.online.issue(client.clientId, data);
      return ok({
        access_token: grant.accessToken,
        scope,
        expires_in: ONLINE_TOKEN_TTL,
        associated_user_scope: scope,
        associated_user: associatedUser(account),
      });
    }
    if (wantsExpiring(request.body)) {
      const grant = stores.expiring.issue(client.clientId, data);
      if (grant.refreshToken !== null) stores.startRefreshClock(grant.refreshToken);
      return ok(expiringResponse(grant));
    }
    if (!stores.mayUseNonExpiring(client.clientId)) {
      // The wording is the mock's: Shopify documents the rule, not its error body.
      return oauthError(
        reply,
        400,
        'invalid_request',
        'This app must request an expiring offline access token (expiring=1).',
      );
    }
    const grant = stores.nonExpiring.issue(client.clientId, data);
    return ok({ access_token: grant.accessToken, scope });
  });
}
