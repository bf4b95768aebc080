import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CodeData } from '../core/flow';
import { authenticateRequest, codeErrors, redeemCode, registerAuthorize } from '../core/flow';
import { scopeList, noStore, rfc6749Error } from '../core/flow';
import type { Grant } from '../core/grants';
import { parseBearer, readParams } from '../core/oauth';
import { definePersonality } from '../core/personality';
import { type GraphQlError, resolveQuery } from './graphql';
import { faultTable, oauthErrorBody } from '../core/faults';
import { registerDataRoutes } from './data';

/**
 * Linear OAuth 2.0 (https://linear.app/developers/oauth-2-0-authentication): linear.app's
 * consent and api.linear.app's token, revoke and GraphQL endpoints, all under `/linear` (their
 * paths are disjoint). What is documented and what is the mock's choice: ./README.md.
 */
export type LinearAccount = {
  userId: string;
  name: string;
  displayName: string;
  email: string;
  organizationId: string;
  organizationName: string;
  urlKey: string;
};

export const defaultLinearAccount: LinearAccount = {
  userId: '2f1e0d1a-0ada-4c0d-9e1a-11ea00000001',
  name: 'Ada Lovelace',
  displayName: 'ada',
  email: 'ada@acme.example',
  organizationId: '2f1e0d1a-0ada-4c0d-9e1a-11ea00000002',
  organizationName: 'Acme',
  urlKey: 'acme',
};

const brand = { name: 'Linear', colour: '#5e6ad2' };
/** Documented: access tokens are valid for 24 hours (`expires_in` 86399). */
const ACCESS_TOKEN_SECONDS = 86_399;
const SCOPES = ['read', 'write', 'issues:create', 'comments:create', 'timeSchedule:write', 'admin'];

interface LinearGrantData {
  account: LinearAccount;
  scope: string;
}

/** RFC 6749's `invalid_request` for a missing parameter, in this provider's words. */
const missingParam = (reply: FastifyReply, name: string) =>
  rfc6749Error(reply, 400, 'invalid_request', `Missing required parameter: ${name}.`);

const INVALID_GRANT = 'The provided authorization grant is invalid, expired or revoked.';
const CODE_ERRORS = codeErrors<[string, string]>(['invalid_grant', INVALID_GRANT], {
  missing_code: ['invalid_request', 'Missing required parameter: code.'],
  missing_redirect_uri: ['invalid_request', 'Missing required parameter: redirect_uri.'],
  redirect_mismatch: [
    'invalid_grant',
    'The redirect_uri does not match the authorization request.',
  ],
  missing_verifier: ['invalid_grant', 'Missing code_verifier.'],
  pkce_mismatch: ['invalid_grant', 'Invalid code_verifier.'],
});

/** A GraphQL answer with errors, in the `{ errors: [...] }` shape the API sends. */
function graphQlErrors(reply: FastifyReply, status: number, errors: GraphQlError[]) {
  return reply.status(status).send({ errors });
}

const NOT_AUTHENTICATED: GraphQlError = {
  message: 'Authentication required, not authenticated',
  extensions: {
    type: 'authentication error',
    code: 'AUTHENTICATION_ERROR',
    statusCode: 401,
    userPresentableMessage: 'You need to authenticate to access this operation.',
  },
};

export const linear = definePersonality({
  id: 'linear',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'revoke', 'identity', 'data'],
  authorizeExample: { params: { scope: 'read' } },
  defaultAccount: defaultLinearAccount,
  faultResponse: faultTable(
    {
      error_500: [500, oauthErrorBody('server_error', 'Internal error.')],
      rate_limit: [429, oauthErrorBody('rate_limited', 'Too many requests.')],
      invalid_grant: [400, oauthErrorBody('invalid_grant', INVALID_GRANT)],
    },
    {
      // The GraphQL API answers in its own `{ errors }` shape.
      identity: {
        error_500: [500, { errors: [{ message: 'Internal server error' }] }],
        rate_limit: [
          429,
          { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] },
        ],
        invalid_grant: [400, { errors: [NOT_AUTHENTICATED] }],
      },
    },
  ),
  register(router, ctx) {
    // Codes are short-lived (undocumented length; ten minutes here, like most providers).
    const codes = ctx.codeStore<CodeData<LinearAccount>>({ ttlSeconds: 600 });
    const tokens = ctx.tokenStore<LinearGrantData>({
      accessTokenPrefix: 'lin_oauth_',
      refreshTokenPrefix: 'lin_refresh_',
      accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS,
      refreshTokens: true,
      rotateRefreshTokens: true,
    });
    registerDataRoutes(
      router,
      ctx,
      (token) => tokens.findByAccessToken(token),
      (reply) => graphQlErrors(reply, 400, [NOT_AUTHENTICATED]),
    );

    registerAuthorize(router, ctx, {
      brand,
      authorizePath: '/oauth/authorize',
      codes,
      // Documented as required; matched exactly against the app's callback URLs.
      redirectUri: 'required',
      unknownClient: { status: 400, title: 'Invalid client', message: 'Unknown client_id.' },
      badRedirectUri: {
        status: 400,
        title: 'Invalid redirect_uri',
        message: 'The redirect_uri is not one of the callback URLs of this application.',
      },
      validate: (params) => {
        if (params.response_type !== 'code') {
          return { error: 'unsupported_response_type', description: 'response_type must be code.' };
        }
        // `scope` is documented as required; every asked scope must be one Linear knows.
        const asked = scopeList(params.scope ?? '');
        if (asked.length === 0) {
          return { error: 'invalid_scope', description: 'Missing required parameter: scope.' };
        }
        const unknown = asked.find((s) => !SCOPES.includes(s));
        if (unknown !== undefined) {
          return { error: 'invalid_scope', description: `Unknown scope: ${unknown}.` };
        }
        return undefined;
      },
      pkce: 'optional',
      defaultScope: 'read',
      consent: (account, scope) => ({
        account: `${account.name} · ${account.email}`,
        details: [
          {
            label: 'Workspace',
            value: `${account.organizationName} (linear.app/${account.urlKey})`,
          },
        ],
        // `read` is always granted, whatever was asked.
        permissions: [...new Set(['read', ...scopeList(scope)])],
      }),
    });

    const tokenBody = (grant: Grant<LinearGrantData>) => ({
      access_token: grant.accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      // Space-separated in the answer, as the documented example shows.
      scope: [...new Set(['read', ...scopeList(grant.data.scope)])].join(' '),
      refresh_token: grant.refreshToken,
    });

    router.post('/oauth/token', 'token', async (request, reply) => {
      // Documented: the body is application/x-www-form-urlencoded.
      if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
        return rfc6749Error(
          reply,
          400,
          'invalid_request',
          'Content-Type must be application/x-www-form-urlencoded.',
        );
      }
      const params = readParams(request.body);
      // Documented: client_id and client_secret in the body; HTTP Basic is not read.
      const auth = authenticateRequest(ctx, request, params, ['body']);
      if (!auth.ok) {
        return rfc6749Error(reply, 401, 'invalid_client', 'Client authentication failed.');
      }
      const { client } = auth;
      switch (params.grant_type) {
        case 'authorization_code': {
          const redeemed = redeemCode(codes, params, client, { redirectUri: 'always' });
          if (!redeemed.ok) return rfc6749Error(reply, 400, ...CODE_ERRORS[redeemed.reason]);
          const { account, scope } = redeemed.data;
          const grant = tokens.issue(client.clientId, { account, scope });
          return noStore(reply, tokenBody(grant));
        }
        case 'refresh_token': {
          if (params.refresh_token === undefined) {
            return missingParam(reply, 'refresh_token');
          }
          // Each refresh returns a new refresh token; the used one stops working.
          const refreshed = tokens.refresh(params.refresh_token, client.clientId);
          if (!refreshed.ok) return rfc6749Error(reply, 400, 'invalid_grant', INVALID_GRANT);
          return noStore(reply, tokenBody(refreshed.grant));
        }
        case undefined:
          return missingParam(reply, 'grant_type');
        default:
          return rfc6749Error(reply, 400, 'unsupported_grant_type', 'Unsupported grant_type.');
      }
    });

    /** The live grant of a request's `Authorization: Bearer` token. */
    const bearerGrant = (request: FastifyRequest) => {
      const token = parseBearer(request.headers.authorization);
      return token === undefined ? undefined : tokens.findByAccessToken(token);
    };

    // Documented: the access token in the Authorization header; 200 when revoked, 400 when it
    // cannot be (unknown, expired or already revoked). The mock also takes a form `token`.
    router.post('/oauth/revoke', 'revoke', async (request, reply) => {
      const token = parseBearer(request.headers.authorization) ?? readParams(request.body).token;
      const grant = token === undefined ? undefined : tokens.findByAnyToken(token);
      if (token === undefined || grant === undefined || !tokens.revoke(token)) {
        return rfc6749Error(reply, 400, 'invalid_request', 'Unable to revoke the token.');
      }
      return reply.status(200).send();
    });

    router.post('/graphql', 'identity', async (request, reply) => {
      const grant = bearerGrant(request);
      if (grant === undefined) return graphQlErrors(reply, 400, [NOT_AUTHENTICATED]);
      const query = readParams(request.body).query;
      if (query === undefined) {
        return graphQlErrors(reply, 400, [{ message: 'Must provide query string.' }]);
      }
      const answer = resolveQuery(query, grant.data.account);
      if ('errors' in answer) return graphQlErrors(reply, 400, answer.errors);
      return { data: answer.data };
    });
  },
});
