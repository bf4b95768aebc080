import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import { parseBasicAuth, parseBearer, readParams } from '../core/oauth';
import type { Params } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { StripeAccount } from './account';
import { maskKey, oauthError, tokenResponse } from './responses';
import type { StripeScope, StripeStores } from './stores';
import { noStore } from '../core/flow';

/**
 * connect.stripe.com reads form bodies only (stripe-node sends nothing else); a JSON body is
 * treated as carrying no parameters, so the request fails the way it would for real.
 */
export function readFormBody(request: FastifyRequest): Params {
  const type = request.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') ? readParams(request.body) : {};
}

/**
 * The secret key that authenticates the request: `Authorization: Bearer sk_…` (stripe-node),
 * Basic with the key as user name and no password (`curl -u sk_…:`), or `client_secret` in the
 * body (older docs). The key is what identifies the platform; no separate client secret exists.
 */
export function platformKey(request: FastifyRequest, params: Params): string | undefined {
  const header = request.headers.authorization;
  const bearer = parseBearer(header);
  if (bearer !== undefined) return bearer;
  const basic = parseBasicAuth(header);
  if (basic !== undefined && basic.clientId !== '') return basic.clientId;
  return params.client_secret;
}

type Authenticated = { client: RegisteredClient; params: Params };

/** Answers the error itself and returns undefined when the platform key is missing or wrong. */
function authenticate(
  ctx: ProviderContext<StripeAccount>,
  request: FastifyRequest,
  reply: FastifyReply,
): Authenticated | undefined {
  const params = readFormBody(request);
  const key = platformKey(request, params);
  if (key === undefined || key === '') {
    void oauthError(
      reply,
      401,
      'invalid_client',
      'No API key provided. Authenticate with your secret key as a Bearer token (or HTTP Basic user name, or client_secret).',
    );
    return undefined;
  }
  const client = ctx.findClientBySecret(key);
  if (client === undefined) {
    void oauthError(reply, 401, 'invalid_client', `Invalid API Key provided: ${maskKey(key)}`);
    return undefined;
  }
  // client_id is optional at the token endpoint, but when sent it must be this platform's.
  if (params.client_id !== undefined && params.client_id !== client.clientId) {
    void oauthError(reply, 401, 'invalid_client', `No such application: '${params.client_id}'`);
    return undefined;
  }
  return { client, params };
}

/** Refreshing may narrow the scope (read_write → read_only), never widen it; undefined = refused. */
function refreshScope(
  granted: StripeScope,
  requested: string | undefined,
): StripeScope | undefined {
  if (requested === undefined) return granted;
  if (requested === 'read_only') return 'read_only';
  if (requested === 'read_write' && granted === 'read_write') return 'read_write';
  return undefined;
}

/** `POST /oauth/token` and `POST /oauth/deauthorize`. */
export function registerOAuthRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<StripeAccount>,
  stores: StripeStores,
): void {
  router.post('/oauth/token', 'token', async (request, reply) => {
    const auth = authenticate(ctx, request, reply);
    if (auth === undefined) return reply;
    const { client, params } = auth;
    const ok = (body: unknown) => noStore(reply, body);

    switch (params.grant_type) {
      case 'authorization_code': {
        const code = params.code;
        if (code === undefined) {
          return oauthError(reply, 400, 'invalid_request', 'No authorization code provided');
        }
        const redeemed = stores.codes.redeem(code, client.clientId);
        if (!redeemed.ok) {
          switch (redeemed.reason) {
            case 'unknown':
              return oauthError(
                reply,
                400,
                'invalid_grant',
                `Authorization code does not exist: ${code}`,
              );
            case 'used':
              // Stripe's replay defence: whatever the code produced is revoked too.
              stores.revokeIssuedFrom(code);
              return oauthError(
                reply,
                400,
                'invalid_grant',
                'This authorization code has already been used. All tokens issued with this code have been revoked.',
              );
            case 'expired':
              return oauthError(reply, 400, 'invalid_grant', `Authorization code expired: ${code}`);
            case 'wrong_client':
              return oauthError(
                reply,
                400,
                'invalid_grant',
                'Authorization code provided does not belong to you',
              );
          }
        }
        // No redirect_uri check: Stripe's token request does not take one.
        const { account, scope } = redeemed.grant;
        const issued = stores.tokens.issue(client.clientId, {
          account,
          scope,
          connectionId: stores.connect(client.clientId, account.accountId),
        });
        if (issued.refreshToken !== null) stores.rememberCode(code, issued.refreshToken);
        return ok(tokenResponse(issued));
      }
      case 'refresh_token': {
        const refreshToken = params.refresh_token;
        if (refreshToken === undefined) {
          return oauthError(reply, 400, 'invalid_request', 'No refresh token provided');
        }
        const current = stores.tokens.findByAnyToken(refreshToken);
        if (
          current === undefined ||
          current.refreshToken !== refreshToken ||
          current.clientId !== client.clientId ||
          !stores.isLive(current)
        ) {
          return oauthError(
            reply,
            400,
            'invalid_grant',
            `Refresh token does not exist: ${maskKey(refreshToken)}`,
          );
        }
        const scope = refreshScope(current.data.scope, params.scope);
        if (scope === undefined) {
          return oauthError(
            reply,
            400,
            'invalid_scope',
            `Invalid scope: ${params.scope ?? ''}. A refresh may request the granted scope or read_only.`,
          );
        }
        const refreshed = stores.tokens.refresh(refreshToken, client.clientId);
        if (!refreshed.ok) {
          return oauthError(reply, 400, 'invalid_grant', 'Refresh token does not exist');
        }
        return ok(tokenResponse(refreshed.grant, scope));
      }
      case undefined:
        return oauthError(reply, 400, 'invalid_request', 'No grant type specified');
      default:
        return oauthError(
          reply,
          400,
          'unsupported_grant_type',
          `Unsupported grant type: ${params.grant_type}`,
        );
    }
  });

  router.post('/oauth/deauthorize', 'revoke', async (request, reply) => {
    const auth = authenticate(ctx, request, reply);
    if (auth === undefined) return reply;
    const { client, params } = auth;
    if (params.client_id === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'No client_id provided');
    }
    const accountId = params.stripe_user_id;
    if (accountId === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'No stripe_user_id provided');
    }
    if (!stores.disconnect(client.clientId, accountId)) {
      return oauthError(
        reply,
        401,
        'invalid_client',
        `This application is not connected to stripe account ${accountId}, or that account does not exist.`,
      );
    }
    return { stripe_user_id: accountId };
  });
}
