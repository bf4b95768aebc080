import type { FastifyReply } from 'fastify';
import type { RegisteredClient } from '../core/clients';
import type { Grant } from '../core/grants';
import { bearerRoute } from '../core/bearer';
import { atHash } from '../core/jwt';
import { readParams } from '../core/oauth';
import type { ProviderContext } from '../core/personality';
import { definePersonality } from '../core/personality';
import type { CodeData } from '../core/flow';
import { authenticateRequest, codeErrors, redeemCode, registerAuthorize } from '../core/flow';
import { scopeList, noStore, rfc6749Error } from '../core/flow';
import { faultTable, oauthErrorBody } from '../core/faults';
import { registerDataRoutes } from './data';

/** The Google account a consent signs in as. */
export type GoogleAccount = {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  givenName: string;
  familyName: string;
  picture: string;
  locale: string;
  /** Workspace domain (`hd` claim); null for a consumer account. */
  hostedDomain: string | null;
};

export const defaultGoogleAccount: GoogleAccount = {
  sub: '108000000000000000001',
  email: 'ada@acme.example',
  emailVerified: true,
  name: 'Ada Lovelace',
  givenName: 'Ada',
  familyName: 'Lovelace',
  picture: 'https://lh3.googleusercontent.com/a/mock-ada=s96-c',
  locale: 'en',
  hostedDomain: 'acme.example',
};

const brand = { name: 'Google', colour: '#1a73e8' };
const ACCESS_TOKEN_TTL_SECONDS = 3599;
const USERINFO_EMAIL = 'https://www.googleapis.com/auth/userinfo.email';
const USERINFO_PROFILE = 'https://www.googleapis.com/auth/userinfo.profile';

/** Google grants the short scope names under their full URLs, and reports those. */
function normaliseScope(scope: string): string {
  const expanded = scopeList(scope).map((s) =>
    s === 'email' ? USERINFO_EMAIL : s === 'profile' ? USERINFO_PROFILE : s,
  );
  return [...new Set(expanded)].join(' ');
}

interface GoogleGrantData {
  account: GoogleAccount;
  scope: string;
  nonce: string | undefined;
}

/** RFC 6749's `invalid_request` for a missing parameter, in this provider's words. */
const missingParam = (reply: FastifyReply, name: string) =>
  rfc6749Error(reply, 400, 'invalid_request', `Missing required parameter: ${name}`);

/** Google's token-endpoint answers for each way a code can fail. */
const BAD_REQUEST: [string, string] = ['invalid_grant', 'Bad Request'];
const CODE_ERRORS = codeErrors<[string, string]>(BAD_REQUEST, {
  missing_code: ['invalid_request', 'Missing required parameter: code'],
  unknown: ['invalid_grant', 'Malformed auth code.'],
  missing_redirect_uri: ['invalid_request', 'Missing parameter: redirect_uri'],
  redirect_mismatch: ['redirect_uri_mismatch', 'Bad Request'],
  missing_verifier: ['invalid_grant', 'Missing code verifier.'],
  pkce_mismatch: ['invalid_grant', 'Invalid code verifier.'],
});

async function tokenResponse(
  ctx: ProviderContext<GoogleAccount>,
  client: RegisteredClient,
  grant: Grant<GoogleGrantData>,
  opts: { includeRefreshToken: boolean },
) {
  const { account, scope, nonce } = grant.data;
  const scopes = scopeList(scope);
  const idToken = scopes.includes('openid')
    ? await (
        await ctx.issuer()
      ).sign({
        azp: client.clientId,
        aud: client.clientId,
        sub: account.sub,
        at_hash: atHash(grant.accessToken),
        ...(account.hostedDomain === null ? {} : { hd: account.hostedDomain }),
        ...(scopes.includes(USERINFO_EMAIL)
          ? { email: account.email, email_verified: account.emailVerified }
          : {}),
        ...(scopes.includes(USERINFO_PROFILE)
          ? {
              name: account.name,
              picture: account.picture,
              given_name: account.givenName,
              family_name: account.familyName,
            }
          : {}),
        ...(nonce === undefined ? {} : { nonce }),
      })
    : undefined;
  return {
    access_token: grant.accessToken,
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    ...(opts.includeRefreshToken && grant.refreshToken !== null
      ? { refresh_token: grant.refreshToken }
      : {}),
    scope,
    token_type: 'Bearer',
    ...(idToken === undefined ? {} : { id_token: idToken }),
  };
}

/**
 * Google OAuth 2.0 / OpenID Connect for Drive (accounts.google.com, oauth2.googleapis.com and
 * www.googleapis.com paths under `/google-drive`). The issuer (`iss`) is the mock's
 * `/google-drive` URL, not accounts.google.com, so discovery and JWKS line up.
 */
export const googleDrive = definePersonality({
  id: 'google-drive',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'jwks', 'discovery', 'data'],
  authorizeExample: {
    params: {
      scope: 'openid email https://www.googleapis.com/auth/drive.file',
      access_type: 'offline',
      prompt: 'consent',
    },
  },
  defaultAccount: defaultGoogleAccount,
  faultResponse: faultTable(
    {
      error_500: [500, oauthErrorBody('internal_failure', 'Backend Error')],
      rate_limit: [429, oauthErrorBody('rate_limit_exceeded', 'Rate Limit Exceeded')],
      invalid_grant: [400, oauthErrorBody('invalid_grant', 'Token has been expired or revoked.')],
    },
    {
      data: { invalid_grant: [401, oauthErrorBody('invalid_request', 'Invalid Credentials')] },
      identity: { invalid_grant: [401, oauthErrorBody('invalid_request', 'Invalid Credentials')] },
    },
  ),
  register(router, ctx) {
    const codes = ctx.codeStore<CodeData<GoogleAccount>>({ ttlSeconds: 600 });
    // Two stores: a refresh token exists only for offline access, and Google does not rotate it.
    const offline = ctx.tokenStore<GoogleGrantData>({
      accessTokenPrefix: 'ya29.',
      refreshTokenPrefix: '1//',
      accessTokenTtlSeconds: 3600,
      refreshTokens: true,
      rotateRefreshTokens: false,
      keepAccessTokensOnRefresh: true,
    });
    const online = ctx.tokenStore<GoogleGrantData>({
      accessTokenPrefix: 'ya29.',
      accessTokenTtlSeconds: 3600,
      refreshTokens: false,
      rotateRefreshTokens: false,
      keepAccessTokensOnRefresh: true,
    });
    /**
     * Client + user pairs holding a refresh token from an earlier consent: Google issues the
     * refresh token on the first consent only, or again when authorize asked for `prompt=consent`
     * (https://developers.google.com/identity/protocols/oauth2/web-server#offline).
     */
    let consented = new Set<string>();
    ctx.onReset(() => {
      consented = new Set();
    });
    const consentKey = (clientId: string, account: GoogleAccount) =>
      `${clientId}\u0000${account.sub}`;
    const findAccess = (token: string) =>
      offline.findByAccessToken(token) ?? online.findByAccessToken(token);
    const page = (title: string, message: string, status = 400) => ({ status, title, message });
    registerDataRoutes(router, ctx, findAccess);

    registerAuthorize(router, ctx, {
      brand,
      authorizePath: '/o/oauth2/v2/auth',
      codes,
      redirectUri: 'required',
      unknownClient: page('Error 401: invalid_client', 'The OAuth client was not found.', 401),
      badRedirectUri: page(
        'Error 400: redirect_uri_mismatch',
        "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. The redirect_uri is not registered for this client.",
      ),
      // Google shows these as pages too, it does not redirect them.
      validate: (params) => {
        const problem =
          params.response_type === undefined
            ? 'Required parameter is missing: response_type'
            : params.response_type !== 'code'
              ? `Invalid response_type: ${params.response_type}`
              : (params.scope ?? '').trim() === ''
                ? 'Missing required parameter: scope'
                : params.access_type !== undefined &&
                    !['online', 'offline'].includes(params.access_type)
                  ? `Invalid access_type: ${params.access_type}`
                  : undefined;
        return problem === undefined
          ? undefined
          : {
              error: 'invalid_request',
              description: problem,
              page: page('Error 400: invalid_request', problem),
            };
      },
      pkce: 'optional',
      defaultScope: '',
      extras: ['access_type', 'nonce', 'prompt'],
      denyParams: {},
      consent: (account, scope, extras) => ({
        account: `${account.name} · ${account.email}`,
        details:
          extras.access_type === 'offline'
            ? [{ label: 'Offline access', value: 'Keep access when you are not using the app' }]
            : [],
        permissions: scopeList(normaliseScope(scope)),
      }),
    });

    router.post('/token', 'token', async (request, reply) => {
      const params = readParams(request.body);
      const auth = authenticateRequest(ctx, request, params, ['body', 'basic']);
      if (!auth.ok) {
        return auth.reason === 'missing'
          ? rfc6749Error(
              reply,
              400,
              'invalid_request',
              'Could not determine client ID from request.',
            )
          : auth.reason === 'unknown_client'
            ? rfc6749Error(reply, 401, 'invalid_client', 'The OAuth client was not found.')
            : rfc6749Error(reply, 401, 'invalid_client', 'Unauthorized');
      }
      const { client } = auth;
      switch (params.grant_type) {
        case 'authorization_code': {
          const redeemed = redeemCode(codes, params, client, { redirectUri: 'always' });
          if (!redeemed.ok) return rfc6749Error(reply, 400, ...CODE_ERRORS[redeemed.reason]);
          const { account, scope, extras } = redeemed.data;
          const data = { account, scope: normaliseScope(scope), nonce: extras.nonce };
          const key = consentKey(client.clientId, account);
          const isOffline =
            extras.access_type === 'offline' &&
            (!consented.has(key) || scopeList(extras.prompt ?? '').includes('consent'));
          if (isOffline) consented.add(key);
          const grant = (isOffline ? offline : online).issue(client.clientId, data);
          return noStore(
            reply,
            await tokenResponse(ctx, client, grant, { includeRefreshToken: isOffline }),
          );
        }
        case 'refresh_token': {
          if (params.refresh_token === undefined) {
            return missingParam(reply, 'refresh_token');
          }
          const refreshed = offline.refresh(params.refresh_token, client.clientId);
          if (!refreshed.ok) {
            return rfc6749Error(reply, 400, 'invalid_grant', 'Token has been expired or revoked.');
          }
          // The refresh token does not change, so it is not sent again; a nonce belongs to
          // the sign-in, not to refreshes.
          const grant = {
            ...refreshed.grant,
            data: { ...refreshed.grant.data, nonce: undefined },
          };
          return noStore(
            reply,
            await tokenResponse(ctx, client, grant, { includeRefreshToken: false }),
          );
        }
        default:
          return rfc6749Error(
            reply,
            400,
            'unsupported_grant_type',
            `Invalid grant_type: ${params.grant_type ?? ''}`,
          );
      }
    });

    // www.googleapis.com/oauth2/v3/userinfo and openidconnect.googleapis.com/v1/userinfo.
    for (const path of ['/oauth2/v3/userinfo', '/v1/userinfo']) {
      bearerRoute(router, {
        path,
        endpoint: 'identity',
        find: findAccess,
        refuse: (reply) =>
          reply
            .status(401)
            .header(
              'www-authenticate',
              'Bearer realm="https://accounts.google.com/", error="invalid_token"',
            )
            .send({ error: 'invalid_request', error_description: 'Invalid Credentials' }),
        handle: (grant) => {
          const { account, scope } = grant.data;
          const scopes = scopeList(scope);
          return {
            sub: account.sub,
            ...(scopes.includes(USERINFO_PROFILE)
              ? {
                  name: account.name,
                  given_name: account.givenName,
                  family_name: account.familyName,
                  picture: account.picture,
                  locale: account.locale,
                }
              : {}),
            ...(scopes.includes(USERINFO_EMAIL)
              ? { email: account.email, email_verified: account.emailVerified }
              : {}),
            ...(account.hostedDomain === null ? {} : { hd: account.hostedDomain }),
          };
        },
      });
    }

    router.post('/revoke', 'revoke', async (request, reply) => {
      // oauth2.googleapis.com/revoke takes `token` in the body or the query; no client auth.
      const token = { ...readParams(request.query), ...readParams(request.body) }.token;
      // Either token ends the whole grant, access and refresh; with the last refresh token
      // gone, the next consent is a first consent again.
      const grant = token === undefined ? undefined : offline.findByAnyToken(token);
      const revoked = token !== undefined && (offline.revoke(token) || online.revoke(token));
      if (grant !== undefined) consented.delete(consentKey(grant.clientId, grant.data.account));
      if (!revoked) {
        return rfc6749Error(reply, 400, 'invalid_token', 'Token expired or revoked');
      }
      return {};
    });

    router.get('/oauth2/v3/certs', 'jwks', async () => (await ctx.issuer()).jwks());

    router.get('/.well-known/openid-configuration', 'discovery', async () => {
      const base = ctx.baseUrl();
      return {
        issuer: base,
        authorization_endpoint: `${base}/o/oauth2/v2/auth`,
        token_endpoint: `${base}/token`,
        userinfo_endpoint: `${base}/v1/userinfo`,
        revocation_endpoint: `${base}/revoke`,
        jwks_uri: `${base}/oauth2/v3/certs`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        code_challenge_methods_supported: ['plain', 'S256'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
      };
    });
  },
});
