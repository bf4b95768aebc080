import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Grant } from '../core/grants';
import { bearerRoute } from '../core/bearer';
import { readParams } from '../core/oauth';
import { definePersonality } from '../core/personality';
import type { RouteHandler } from '../core/personality';
import { deprecated, registerDatedApi } from './dated-api';
import type { TokenFailure } from './dated-api';
import type { CodeData } from '../core/flow';
import { authenticateRequest, codeErrors, refreshFrom, redeemCode } from '../core/flow';
import { registerAuthorize, scopeList, tokenHistory, noStore } from '../core/flow';
import { faultTable } from '../core/faults';
import { registerDataRoutes } from './data';

/** The HubSpot user who installs the app, and the account (hub / portal) it installs into. */
export type HubSpotAccount = {
  userId: number;
  email: string;
  name: string;
  hubId: number;
  hubDomain: string;
};

export const defaultHubSpotAccount: HubSpotAccount = {
  userId: 2_000_001,
  email: 'ada@acme.example',
  name: 'Ada Lovelace',
  hubId: 4_000_001,
  hubDomain: 'acme.example',
};

const brand = { name: 'HubSpot', colour: '#ff7a59' };
/** HubSpot access tokens last 30 minutes. */
const ACCESS_TOKEN_TTL_SECONDS = 1800;

export interface HubSpotGrantData {
  account: HubSpotAccount;
  scope: string;
  appId: number;
}

/** HubSpot's error body: `{status, message, correlationId}`. */
const hubBody = (status: string, message: string) => ({
  status,
  message,
  correlationId: randomUUID(),
});

/** HubSpot's error answer, plus `category` on API calls. */
export function hubError(
  reply: FastifyReply,
  httpStatus: number,
  status: string,
  message: string,
  category?: string,
) {
  return reply
    .status(httpStatus)
    .send({ ...hubBody(status, message), ...(category === undefined ? {} : { category }) });
}

const expiredToken = (reply: FastifyReply) =>
  hubError(
    reply,
    401,
    'error',
    'The OAuth token used to make this call expired.',
    'EXPIRED_AUTHENTICATION',
  );

/**
 * HubSpot's 401 for a dead token on its API calls, the account and data routes alike: an
 * expired one is `EXPIRED_AUTHENTICATION`, a missing or unknown one `INVALID_AUTHENTICATION`
 * (https://developers.hubspot.com/docs/api/error-handling).
 */
export const refuseHubSpotToken =
  (expired: (token: string) => boolean) => (reply: FastifyReply, token: string | undefined) =>
    token !== undefined && expired(token)
      ? expiredToken(reply)
      : hubError(
          reply,
          401,
          'error',
          'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
          'INVALID_AUTHENTICATION',
        );

const CODE_ERRORS = codeErrors<[string, string]>(
  ['BAD_AUTH_CODE', 'missing or invalid auth code'],
  {
    missing_redirect_uri: ['BAD_REDIRECT_URI', 'missing or invalid redirect_uri'],
    redirect_mismatch: [
      'MISMATCH_REDIRECT_URI_AUTH_CODE',
      "redirect URI doesn't match redirect URI used to get auth code",
    ],
  },
);

/** A numeric app id, stable per client. */
const appIdFor = (clientId: string) =>
  100_000 + (Buffer.from(clientId).reduce((h, b) => (h * 31 + b) >>> 0, 7) % 900_000);

/**
 * HubSpot public-app OAuth (app.hubspot.com/oauth/authorize and api.hubapi.com/oauth/v1/… under
 * `/hubspot`). Refresh tokens do not rotate: a refresh returns the same one.
 */
export const hubspot = definePersonality({
  id: 'hubspot',
  brand,
  // `token`, `introspect`, `revoke`: the 2026-03 API; `…_v1`: the deprecated v1 endpoints.
  endpoints: [
    'authorize',
    'consent',
    'token',
    'introspect',
    'revoke',
    'account',
    'token_v1',
    'identity_v1',
    'revoke_v1',
    'data',
  ],
  authorizeExample: { params: { scope: 'oauth' } },
  defaultAccount: defaultHubSpotAccount,
  faultResponse: faultTable({
    error_500: () => [500, hubBody('error', 'internal error')],
    rate_limit: () => [
      429,
      {
        ...hubBody('error', 'You have reached your secondly limit.'),
        errorType: 'RATE_LIMIT',
        policyName: 'SECONDLY',
      },
    ],
    // RFC 6749 fields beside HubSpot's own, as the standardized error responses carry them.
    invalid_grant: () => [
      400,
      {
        error: 'invalid_grant',
        error_description: 'missing or invalid refresh token',
        ...hubBody('BAD_REFRESH_TOKEN', 'missing or invalid refresh token'),
      },
    ],
  }),
  register(router, ctx) {
    const codes = ctx.codeStore<CodeData<HubSpotAccount>>({ ttlSeconds: 600 });
    const tokens = ctx.tokenStore<HubSpotGrantData>({
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      refreshTokens: true,
      rotateRefreshTokens: false,
    });
    const history = tokenHistory(ctx);
    registerDataRoutes(router, ctx, {
      find: (token) => tokens.findByAccessToken(token),
      expired: (token) => history.deadReason(token) === 'expired',
    });
    const tokenResponse = (grant: Grant<HubSpotGrantData>) => ({
      token_type: 'bearer',
      refresh_token: grant.refreshToken,
      access_token: grant.accessToken,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
    });

    registerAuthorize(router, ctx, {
      brand,
      authorizePath: '/oauth/authorize',
      codes,
      redirectUri: 'required',
      unknownClient: {
        status: 400,
        title: "Couldn't complete the connection",
        message: 'Invalid client_id.',
      },
      badRedirectUri: {
        status: 400,
        title: "Couldn't complete the connection",
        message: 'The redirect_uri does not match the redirect URLs configured for this app.',
      },
      validate: (params) =>
        (params.scope ?? '').trim() === ''
          ? {
              error: 'invalid_scope',
              description: 'scope is required',
              page: {
                status: 400,
                title: "Couldn't complete the connection",
                message: 'The scope parameter is required.',
              },
            }
          : undefined,
      pkce: 'ignore',
      defaultScope: '',
      consent: (account, scope) => ({
        account: `${account.name} · ${account.email}`,
        details: [{ label: 'HubSpot account', value: `${account.hubDomain} (${account.hubId})` }],
        permissions: scopeList(scope),
      }),
    });

    /** The token endpoint's logic, the same in v1 and 2026-03; `fail` words the error body. */
    const tokenHandler =
      (fail: TokenFailure): RouteHandler =>
      async (request, reply) => {
        const params = readParams(request.body);
        // Documented as form fields; HTTP Basic is not read.
        const auth = authenticateRequest(ctx, request, params, ['body']);
        if (!auth.ok) {
          return auth.reason === 'bad_secret'
            ? fail(reply, 'BAD_CLIENT_SECRET', 'missing or invalid client secret')
            : fail(reply, 'BAD_CLIENT_ID', 'missing or unknown client id');
        }
        const { client } = auth;
        switch (params.grant_type) {
          case 'authorization_code': {
            const redeemed = redeemCode(codes, params, client, { redirectUri: 'always' });
            if (!redeemed.ok) return fail(reply, ...CODE_ERRORS[redeemed.reason]);
            const grant = tokens.issue(client.clientId, {
              account: redeemed.data.account,
              scope: redeemed.data.scope,
              appId: appIdFor(client.clientId),
            });
            history.remember(grant);
            return noStore(reply, tokenResponse(grant));
          }
          case 'refresh_token': {
            const refreshed = refreshFrom(tokens, params, client);
            if (refreshed === undefined) {
              return fail(reply, 'BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
            }
            history.remember(refreshed);
            return noStore(reply, tokenResponse(refreshed));
          }
          default:
            return fail(
              reply,
              'BAD_GRANT_TYPE',
              'grant_type must be one of authorization_code, refresh_token',
            );
        }
      };

    // v1: deprecated, working until the sunset (see ./dated-api.ts for what replaces it).
    router.post(
      '/oauth/v1/token',
      'token_v1',
      deprecated(tokenHandler((reply, status, message) => hubError(reply, 400, status, message))),
    );
    registerDatedApi(router, ctx, { tokens, history, tokenHandler });

    router.route({
      method: 'GET',
      path: '/oauth/v1/access-tokens/:token',
      endpoint: 'identity_v1',
      // The path carries the access token; the log must not.
      logRoutePattern: true,
      handler: deprecated(async (request, reply) => {
        const { token } = request.params as { token: string };
        const grant = tokens.findByAccessToken(token);
        if (grant === undefined) {
          return history.deadReason(token) === 'expired'
            ? expiredToken(reply)
            : hubError(reply, 404, 'error', 'Access token not found.', 'OBJECT_NOT_FOUND');
        }
        const { account, scope, appId } = grant.data;
        const remaining = Math.max(
          0,
          Math.floor(((grant.accessTokenExpiresAt ?? 0) - ctx.clock.now()) / 1000),
        );
        return {
          token,
          user: account.email,
          hub_domain: account.hubDomain,
          scopes: scopeList(scope),
          scope_to_scope_group_pks: [],
          trial_scopes: [],
          trial_scope_to_scope_group_pks: [],
          hub_id: account.hubId,
          app_id: appId,
          expires_in: remaining,
          user_id: account.userId,
          token_type: 'access',
        };
      }),
    });

    // An authenticated API call, for clients that check a token the usual way.
    bearerRoute(router, {
      path: '/account-info/v3/details',
      endpoint: 'account',
      find: (token) => tokens.findByAccessToken(token),
      refuse: refuseHubSpotToken((token) => history.deadReason(token) === 'expired'),
      handle: (grant) => ({
        portalId: grant.data.account.hubId,
        accountType: 'STANDARD',
        timeZone: 'Europe/London',
        companyCurrency: 'GBP',
        additionalCurrencies: [],
        utcOffset: '+00:00',
        utcOffsetMilliseconds: 0,
        uiDomain: 'app.hubspot.com',
        dataHostingLocation: 'na1',
      }),
    });

    router.route({
      method: 'DELETE',
      path: '/oauth/v1/refresh-tokens/:token',
      endpoint: 'revoke_v1',
      logRoutePattern: true,
      handler: deprecated(async (request, reply) => {
        const { token } = request.params as { token: string };
        // Only a live refresh token is deleted; deleting it ends the whole grant.
        const grant = tokens.findByAnyToken(token);
        if (grant === undefined || grant.refreshToken !== token || !tokens.revoke(token)) {
          return hubError(reply, 404, 'error', 'Refresh token not found.', 'OBJECT_NOT_FOUND');
        }
        return reply.status(204).send();
      }),
    });
  },
});
