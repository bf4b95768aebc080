/**
 * HubSpot's dated OAuth API, 2026-03 (https://developers.hubspot.com/changelog/v1-oauth-api-deprecation,
 * https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide):
 * `POST /oauth/2026-03/token`, `/token/introspect` and `/token/revoke`, every parameter in the
 * form body (no token or secret in a path or query), errors as RFC 6749 bodies with HubSpot's
 * `status` and `message` kept beside them. The v1 endpoints it replaces keep working until the
 * sunset but say so on every answer (`deprecated`).
 */
import type { FastifyReply } from 'fastify';
import type { tokenHistory } from '../core/flow';
import { authenticateRequest, scopeList } from '../core/flow';
import type { TokenStore } from '../core/grants';
import { readParams } from '../core/oauth';
import type { ProviderContext, ProviderRouter, RouteHandler } from '../core/personality';
import type { HubSpotAccount, HubSpotGrantData } from './index';

/** Answers a token-endpoint failure given HubSpot's status name and message. */
export type TokenFailure = (reply: FastifyReply, status: string, message: string) => unknown;

/** The v1 endpoints stop working on 2027-02-16 (RFC 8594 `Sunset`, RFC 9745 `Deprecation`). */
const SUNSET = 'Tue, 16 Feb 2027 00:00:00 GMT';
/** 2026-03-01, when the dated API that replaces v1 appeared. */
const DEPRECATED_SINCE = '@1772323200';

export function deprecated(handler: RouteHandler): RouteHandler {
  return (request, reply) => {
    void reply.header('deprecation', DEPRECATED_SINCE).header('sunset', SUNSET);
    return handler(request, reply);
  };
}

/** HubSpot status names in RFC 6749 terms. */
const RFC_ERRORS: Record<string, string> = {
  BAD_CLIENT_ID: 'invalid_client',
  BAD_CLIENT_SECRET: 'invalid_client',
  BAD_AUTH_CODE: 'invalid_grant',
  MISMATCH_REDIRECT_URI_AUTH_CODE: 'invalid_grant',
  BAD_REFRESH_TOKEN: 'invalid_grant',
  BAD_REDIRECT_URI: 'invalid_request',
  BAD_GRANT_TYPE: 'unsupported_grant_type',
};

/** `{error, error_description, status, message}`, as the changelog's example shows. */
const rfcError: TokenFailure = (reply, status, message) =>
  reply
    .status(400)
    .header('cache-control', 'no-store')
    .send({
      error: RFC_ERRORS[status] ?? 'invalid_request',
      error_description: message,
      status,
      message,
    });

export function registerDatedApi(
  router: ProviderRouter,
  ctx: ProviderContext<HubSpotAccount>,
  deps: {
    tokens: TokenStore<HubSpotGrantData>;
    history: ReturnType<typeof tokenHistory>;
    tokenHandler: (fail: TokenFailure) => RouteHandler;
  },
): void {
  const { tokens } = deps;
  router.post('/oauth/2026-03/token', 'token', deps.tokenHandler(rfcError));

  /** Client credentials from the body, as the token endpoint takes them. */
  const authenticate = (request: Parameters<RouteHandler>[0], reply: FastifyReply) => {
    const params = readParams(request.body);
    const auth = authenticateRequest(ctx, request, params, ['body']);
    if (auth.ok) return { params, client: auth.client };
    void (auth.reason === 'bad_secret'
      ? rfcError(reply, 'BAD_CLIENT_SECRET', 'missing or invalid client secret')
      : rfcError(reply, 'BAD_CLIENT_ID', 'missing or unknown client id'));
    return undefined;
  };

  // RFC 7662 introspection: replaces GET /oauth/v1/access-tokens/{token} and
  // /oauth/v1/refresh-tokens/{token} (https://developers.hubspot.com/docs/api-reference/latest/authentication/oauth-tokens/token-introspect).
  router.post('/oauth/2026-03/token/introspect', 'introspect', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (auth === undefined) return reply;
    const token = auth.params.token ?? '';
    const grant = tokens.findByAnyToken(token);
    if (grant === undefined || grant.clientId !== auth.client.clientId) return { active: false };
    const { account, scope, appId } = grant.data;
    const access = grant.accessToken === token;
    const remaining = Math.floor(((grant.accessTokenExpiresAt ?? 0) - ctx.clock.now()) / 1000);
    return {
      active: true,
      token_use: access ? 'access_token' : 'refresh_token',
      token,
      hub_id: account.hubId,
      user_id: account.userId,
      client_id: grant.clientId,
      app_id: appId,
      scopes: scopeList(scope),
      ...(access ? { expires_in: Math.max(0, remaining) } : {}),
      token_type: access ? 'access' : 'refresh',
      user: account.email,
      hub_domain: account.hubDomain,
    };
  });

  // RFC 7009 revocation: replaces DELETE /oauth/v1/refresh-tokens/{token}. Revoking the refresh
  // token ends the grant; an unknown token changes nothing and still answers 200.
  router.post('/oauth/2026-03/token/revoke', 'revoke', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (auth === undefined) return reply;
    const token = auth.params.token ?? '';
    if (tokens.findByAnyToken(token)?.clientId === auth.client.clientId) tokens.revoke(token);
    return reply.status(200).send();
  });
}
