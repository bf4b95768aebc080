import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import type { RedeemFailure } from '../core/grants';
import { authenticateClient, parseBasicAuth, readParams, stableUuid } from '../core/oauth';
import type { Params } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { NotionAccount } from './account';
import { oauthError, tokenResponse } from './responses';
import type { NotionStores } from './stores';
import { noStore } from '../core/flow';

const CODE_FAILURES: Record<RedeemFailure, string> = {
  unknown: 'Invalid code.',
  used: 'Code has already been used.',
  expired: 'Code has expired.',
  wrong_client: 'Code was issued to another client.',
};

type Authenticated = { client: RegisteredClient; params: Params };

/**
 * Notion authenticates clients with HTTP Basic only; credentials in the body are refused even
 * when correct, because a client that sends them there would fail against the real API too.
 * Answers the error itself and returns undefined when authentication fails.
 */
function authenticate(
  ctx: ProviderContext<NotionAccount>,
  request: FastifyRequest,
  reply: FastifyReply,
): Authenticated | undefined {
  const params = readParams(request.body);
  const credentials = parseBasicAuth(request.headers.authorization);
  if (credentials === undefined) {
    const inBody = params.client_secret !== undefined || params.client_id !== undefined;
    void oauthError(
      reply,
      401,
      'invalid_client',
      inBody
        ? 'Client authentication must use HTTP Basic; client credentials in the request body are not accepted.'
        : 'Missing HTTP Basic client authentication.',
    );
    return undefined;
  }
  const client = ctx.findClient(credentials.clientId);
  if (!authenticateClient(client, credentials)) {
    void oauthError(reply, 401, 'invalid_client', 'Invalid client credentials.');
    return undefined;
  }
  return { client, params };
}

/** `POST /v1/oauth/token`, `/v1/oauth/revoke`, `/v1/oauth/introspect`. */
export function registerTokenRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<NotionAccount>,
  stores: NotionStores,
): void {
  router.post('/v1/oauth/token', 'token', async (request, reply) => {
    const auth = authenticate(ctx, request, reply);
    if (auth === undefined) return reply;
    const { client, params } = auth;

    switch (params.grant_type) {
      case 'authorization_code': {
        if (params.code === undefined) {
          return oauthError(reply, 400, 'invalid_request', 'code is required.');
        }
        const redeemed = stores.codes.redeem(params.code, client.clientId);
        if (!redeemed.ok) {
          return oauthError(reply, 400, 'invalid_grant', CODE_FAILURES[redeemed.reason]);
        }
        const { grant } = redeemed;
        // Notion's rule: repeat the authorize request's redirect_uri exactly, and send none
        // when authorize sent none (the single registered URI was used).
        if (grant.redirectUri === null && params.redirect_uri !== undefined) {
          return oauthError(
            reply,
            400,
            'invalid_request',
            'redirect_uri must not be sent: the authorization request did not include one.',
          );
        }
        if (grant.redirectUri !== null && params.redirect_uri !== grant.redirectUri) {
          return oauthError(
            reply,
            400,
            'invalid_grant',
            'redirect_uri does not match the one used in the authorization request.',
          );
        }
        const issued = stores.tokens.issue(client.clientId, {
          account: grant.account,
          // One bot per integration and workspace, stable across reconnects.
          botId: stableUuid('notion-bot', client.clientId, grant.account.workspaceId),
          botName: client.name,
        });
        return noStore(reply, tokenResponse(issued));
      }
      case 'refresh_token': {
        if (params.refresh_token === undefined) {
          return oauthError(reply, 400, 'invalid_request', 'refresh_token is required.');
        }
        const refreshed = stores.tokens.refresh(params.refresh_token, client.clientId);
        if (!refreshed.ok) {
          return oauthError(reply, 400, 'invalid_grant', 'Token has been expired or revoked.');
        }
        return noStore(reply, tokenResponse(refreshed.grant));
      }
      case undefined:
        return oauthError(reply, 400, 'invalid_request', 'grant_type is required.');
      default:
        return oauthError(
          reply,
          400,
          'unsupported_grant_type',
          `grant_type ${params.grant_type} is not supported.`,
        );
    }
  });

  router.post('/v1/oauth/revoke', 'revoke', async (request, reply) => {
    const auth = authenticate(ctx, request, reply);
    if (auth === undefined) return reply;
    const { client, params } = auth;
    if (params.token === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'token is required.');
    }
    // RFC 7009: unknown tokens (or another client's) are not an error, and nothing happens.
    if (stores.tokens.findByAnyToken(params.token)?.clientId === client.clientId) {
      stores.tokens.revoke(params.token);
    }
    return { request_id: randomUUID() };
  });

  router.post('/v1/oauth/introspect', 'introspect', async (request, reply) => {
    const auth = authenticate(ctx, request, reply);
    if (auth === undefined) return reply;
    const { client, params } = auth;
    if (params.token === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'token is required.');
    }
    const grant = stores.tokens.findByAnyToken(params.token);
    if (grant === undefined || grant.clientId !== client.clientId) {
      return { active: false, request_id: randomUUID() };
    }
    return {
      active: true,
      iat: Math.floor(grant.issuedAt / 1000),
      request_id: randomUUID(),
    };
  });
}
