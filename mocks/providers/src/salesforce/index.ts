import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import type { Grant } from '../core/grants';
import { bearerRoute } from '../core/bearer';
import { atHash } from '../core/jwt';
import { readParams, type Params } from '../core/oauth';
import type { ProviderContext } from '../core/personality';
import { definePersonality } from '../core/personality';
import type { CodeData } from '../core/flow';
import { authenticateRequest, codeErrors, refreshFrom, redeemCode } from '../core/flow';
import { createSalesforceRotation } from './rotation';
import { registerAuthorize, scopeList, noStore, rfc6749Error } from '../core/flow';
import { faultTable, oauthErrorBody } from '../core/faults';
import { registerDataRoutes } from './data';

/** The Salesforce user a consent signs in as, and their org. Ids are 18-character. */
export type SalesforceAccount = {
  orgId: string;
  userId: string;
  username: string;
  email: string;
  name: string;
  firstName: string;
  lastName: string;
  timezone: string;
  language: string;
  locale: string;
};

export const defaultSalesforceAccount: SalesforceAccount = {
  orgId: '00DAC000000ACME001',
  userId: '005AC000000ADA0001',
  username: 'ada@acme.example',
  email: 'ada@acme.example',
  name: 'Ada Lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  timezone: 'Europe/London',
  language: 'en_US',
  locale: 'en_GB',
};

const brand = { name: 'Salesforce', colour: '#0176d3' };
/** Granted when authorize names no scope: the connected app's usual selection. */
const DEFAULT_SCOPE = 'api refresh_token id';
/** Salesforce tokens live as long as the session timeout; two hours is the default. */
const SESSION_SECONDS = 7200;

interface SalesforceGrantData {
  account: SalesforceAccount;
  scope: string;
}

/** Salesforce answers every token-endpoint refusal with 400. */
const oauthError = (reply: FastifyReply, error: string, description: string) =>
  rfc6749Error(reply, 400, error, description);

/** The app's client authentication (secret in the body or HTTP Basic), refused in Salesforce's words. */
function authenticateApp(
  ctx: ProviderContext<SalesforceAccount>,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Params,
): RegisteredClient | undefined {
  const auth = authenticateRequest(ctx, request, params, ['body', 'basic']);
  if (auth.ok) return auth.client;
  void (auth.reason === 'bad_secret'
    ? oauthError(reply, 'invalid_client', 'invalid client credentials')
    : oauthError(reply, 'invalid_client_id', 'client identifier invalid'));
  return undefined;
}

const REDIRECT_MISMATCH: [string, string] = [
  'redirect_uri_mismatch',
  'redirect_uri must match configuration',
];
const CODE_ERRORS = codeErrors<[string, string]>(['invalid_grant', 'invalid authorization code'], {
  expired: ['invalid_grant', 'expired authorization code'],
  missing_redirect_uri: REDIRECT_MISMATCH,
  redirect_mismatch: REDIRECT_MISMATCH,
  missing_verifier: ['invalid_grant', 'invalid code verifier'],
  pkce_mismatch: ['invalid_grant', 'invalid code verifier'],
});

/**
 * Salesforce connected-app OAuth (login.salesforce.com/services/oauth2/… and the instance's
 * API under `/salesforce`). `instance_url` is the mock's `/salesforce` URL, so API calls made
 * from a token response land on the mock.
 */
export const salesforce = definePersonality({
  id: 'salesforce',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'introspect', 'jwks', 'data'],
  authorizeExample: { params: { scope: 'api refresh_token' } },
  defaultAccount: defaultSalesforceAccount,
  faultResponse: faultTable({
    error_500: [500, oauthErrorBody('unknown_error', 'retry your request')],
    rate_limit: [429, oauthErrorBody('rate_limit_exceeded', 'too many requests')],
    invalid_grant: [400, oauthErrorBody('invalid_grant', 'expired access/refresh token')],
  }),
  register(router, ctx: ProviderContext<SalesforceAccount>) {
    const codes = ctx.codeStore<CodeData<SalesforceAccount>>({ ttlSeconds: 900 });
    // Refresh tokens rotate only for apps whose org turned rotation on (rotation.ts).
    const tokens = createSalesforceRotation(ctx, (rotate) =>
      ctx.tokenStore<SalesforceGrantData>({
        accessTokenTtlSeconds: SESSION_SECONDS,
        refreshTokens: true,
        rotateRefreshTokens: rotate,
      }),
    );
    const identityUrl = (a: SalesforceAccount) => `${ctx.baseUrl()}/id/${a.orgId}/${a.userId}`;

    /**
     * With the `openid` scope the code exchange adds an id_token
     * (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm&type=5),
     * signed with the keys at `/id/keys`.
     */
    const idToken = async (client: RegisteredClient, grant: Grant<SalesforceGrantData>) => {
      const { account } = grant.data;
      return (await ctx.issuer()).sign({
        aud: client.clientId,
        sub: identityUrl(account),
        at_hash: atHash(grant.accessToken),
        name: account.name,
        email: account.email,
        email_verified: true,
        given_name: account.firstName,
        family_name: account.lastName,
        preferred_username: account.username,
      });
    };

    const tokenResponse = (
      client: RegisteredClient,
      grant: Grant<SalesforceGrantData>,
      includeRefresh: boolean,
      idTokenJwt?: string,
    ) => {
      const { account, scope } = grant.data;
      const id = identityUrl(account);
      const issuedAt = String(grant.issuedAt);
      // Documented: HMAC-SHA256 of id + issued_at keyed with the consumer secret, base64.
      const signature = createHmac('sha256', client.clientSecret)
        .update(id + issuedAt)
        .digest('base64');
      return {
        access_token: grant.accessToken,
        ...(includeRefresh && grant.refreshToken !== null
          ? { refresh_token: grant.refreshToken }
          : {}),
        signature,
        scope,
        instance_url: ctx.baseUrl(),
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
        ...(idTokenJwt === undefined ? {} : { id_token: idTokenJwt }),
      };
    };

    registerAuthorize(router, ctx, {
      brand,
      authorizePath: '/services/oauth2/authorize',
      codes,
      redirectUri: 'required',
      unknownClient: {
        status: 400,
        title: 'error=invalid_client_id',
        message: 'client identifier invalid',
      },
      badRedirectUri: {
        status: 400,
        title: 'error=redirect_uri_mismatch',
        message: 'redirect_uri must match configuration',
      },
      validate: (params) =>
        params.response_type !== 'code'
          ? { error: 'unsupported_response_type', description: 'response type not supported' }
          : // The apps Plugboard registers require PKCE, as Salesforce now asks of every client
            // app (https://help.salesforce.com/s/articleView?id=005316703&type=1).
            params.code_challenge === undefined
            ? { error: 'invalid_request', description: 'missing required code challenge' }
            : undefined,
      pkce: 'optional',
      defaultScope: DEFAULT_SCOPE,
      denyParams: { error_description: 'end-user denied authorization' },
      consent: (account, scope) => ({
        account: `${account.name} · ${account.username}`,
        details: [{ label: 'Org', value: account.orgId }],
        permissions: scopeList(scope),
      }),
    });

    router.post('/services/oauth2/token', 'token', async (request, reply) => {
      const params = readParams(request.body);
      const client = authenticateApp(ctx, request, reply, params);
      if (client === undefined) return reply;
      switch (params.grant_type) {
        case 'authorization_code': {
          const redeemed = redeemCode(codes, params, client, { redirectUri: 'always' });
          if (!redeemed.ok) {
            const [error, description] = CODE_ERRORS[redeemed.reason];
            return oauthError(reply, error, description);
          }
          const scope = scopeList(redeemed.data.scope).join(' ');
          const grant = tokens
            .storeFor(client.clientId)
            .issue(client.clientId, { account: redeemed.data.account, scope });
          // A refresh token only comes with the refresh_token (or offline_access / full) scope.
          const withRefresh = ['refresh_token', 'offline_access', 'full'].some((s) =>
            scopeList(scope).includes(s),
          );
          const openid = scopeList(scope).includes('openid');
          const jwt = openid ? await idToken(client, grant) : undefined;
          return noStore(reply, tokenResponse(client, grant, withRefresh, jwt));
        }
        case 'refresh_token': {
          const refreshed = refreshFrom(tokens.storeFor(client.clientId), params, client);
          if (refreshed === undefined) {
            return oauthError(reply, 'invalid_grant', 'expired access/refresh token');
          }
          // Without rotation the response carries no refresh token; with it, the new one.
          return noStore(reply, tokenResponse(client, refreshed, tokens.rotates(client.clientId)));
        }
        default:
          return oauthError(reply, 'unsupported_grant_type', 'grant type not supported');
      }
    });

    /** Identity URL errors are bare words in plain text (documented under "Identity URLs"). */
    registerDataRoutes(router, ctx, (token) => tokens.findByAccessToken(token));

    const identityRoute = {
      endpoint: 'identity',
      find: (token: string) => tokens.findByAccessToken(token),
      refuse: (reply: FastifyReply, token: string | undefined) =>
        reply
          .status(403)
          .type('text/plain; charset=utf-8')
          .send(token === undefined ? 'Missing_OAuth_Token' : 'Bad_OAuth_Token'),
    };

    const identity = (a: SalesforceAccount) => ({
      user_id: a.userId,
      organization_id: a.orgId,
      preferred_username: a.username,
      nickname: a.username.split('@')[0],
      name: a.name,
      email: a.email,
      email_verified: true,
      given_name: a.firstName,
      family_name: a.lastName,
      zoneinfo: a.timezone,
      language: a.language,
      locale: a.locale,
      active: true,
      user_type: 'STANDARD',
      utcOffset: 0,
      updated_at: '2024-06-01T09:00:00Z',
      is_app_installed: true,
    });

    bearerRoute(router, {
      ...identityRoute,
      path: '/services/oauth2/userinfo',
      handle: (grant) => ({
        sub: identityUrl(grant.data.account),
        ...identity(grant.data.account),
      }),
    });

    bearerRoute(router, {
      ...identityRoute,
      path: '/id/:orgId/:userId',
      handle: (grant, request, reply) => {
        const a = grant.data.account;
        const { orgId, userId } = request.params as { orgId: string; userId: string };
        if (orgId !== a.orgId) {
          return reply.status(403).type('text/plain; charset=utf-8').send('Wrong_Org');
        }
        if (userId !== a.userId) {
          return reply.status(404).type('text/plain; charset=utf-8').send('Bad_Id');
        }
        const { user_id, organization_id, preferred_username, ...rest } = identity(a);
        return {
          id: identityUrl(a),
          asserted_user: true,
          user_id,
          organization_id,
          username: preferred_username,
          display_name: a.name,
          first_name: a.firstName,
          last_name: a.lastName,
          timezone: a.timezone,
          ...rest,
          urls: {
            rest: `${ctx.baseUrl()}/services/data/v{version}/`,
            userinfo: `${ctx.baseUrl()}/services/oauth2/userinfo`,
          },
        };
      },
    });

    // RFC 7662 introspection with the app's credentials
    // (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oidc_token_introspection_endpoint.htm&type=5):
    // the way to learn a session's expiry, since token responses carry no expires_in.
    router.post('/services/oauth2/introspect', 'introspect', async (request, reply) => {
      const params = readParams(request.body);
      const client = authenticateApp(ctx, request, reply, params);
      if (client === undefined) return reply;
      const token = params.token ?? '';
      const grant = tokens.findByAnyToken(token);
      if (grant === undefined || grant.clientId !== client.clientId) return { active: false };
      const access = grant.accessToken === token;
      const iat = Math.floor(grant.issuedAt / 1000);
      const exp = grant.accessTokenExpiresAt;
      return {
        active: true,
        scope: grant.data.scope,
        client_id: grant.clientId,
        username: grant.data.account.username,
        sub: identityUrl(grant.data.account),
        token_type: access ? 'access_token' : 'refresh_token',
        ...(access && exp !== null ? { exp: Math.floor(exp / 1000) } : {}),
        iat,
        nbf: iat,
      };
    });

    router.get('/id/keys', 'jwks', async () => (await ctx.issuer()).jwks());

    router.post('/services/oauth2/revoke', 'revoke', async (request, reply) => {
      const token = { ...readParams(request.query), ...readParams(request.body) }.token;
      // Revoking either token ends the grant (a refresh token takes its sessions with it).
      if (token === undefined || !tokens.revoke(token)) {
        return oauthError(reply, 'unsupported_token_type', 'this token type is not supported');
      }
      return reply.status(200).send();
    });
  },
});
