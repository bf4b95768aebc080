import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseBasicAuth, readParams, safeEqual, withParams } from '../core/oauth';
import { definePersonality } from '../core/personality';
import type { CodeData } from '../core/flow';
import { authenticateRequest, codeErrors, redeemCode, registerAuthorize } from '../core/flow';
import { scopeList } from '../core/flow';
import { faultTable } from '../core/faults';
import { createGitHubApps } from './github-app';
import { registerDataRoutes } from './data';

/** The GitHub user a consent signs in as. */
export type GitHubAccount = {
  id: number;
  login: string;
  name: string;
  email: string;
  /** The email shown on the public profile (`/user` → `email`); null keeps it private. */
  publicEmail: string | null;
  avatarUrl: string;
  company: string | null;
  location: string | null;
};

export const defaultGitHubAccount: GitHubAccount = {
  id: 1_000_001,
  login: 'ada-lovelace',
  name: 'Ada Lovelace',
  email: 'ada@acme.example',
  publicEmail: 'ada@acme.example',
  avatarUrl: 'https://avatars.githubusercontent.com/u/1000001?v=4',
  company: 'Acme',
  location: 'London',
};

const brand = { name: 'GitHub', colour: '#24292f' };
const DOCS = 'https://docs.github.com/apps/managing-oauth-apps';

/** GitHub's token-endpoint errors (sent with HTTP 200, like the real endpoint). */
const TOKEN_ERRORS = {
  bad_verification_code: {
    error_description: 'The code passed is incorrect or expired.',
    error_uri: `${DOCS}/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code`,
  },
  incorrect_client_credentials: {
    error_description: 'The client_id and/or client_secret passed are incorrect.',
    error_uri: `${DOCS}/troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials`,
  },
  redirect_uri_mismatch: {
    error_description:
      'The redirect_uri MUST match the registered callback URL for this application.',
    error_uri: `${DOCS}/troubleshooting-oauth-app-access-token-request-errors/#redirect-uri-mismatch2`,
  },
  unsupported_grant_type: {
    error_description: 'The grant type is not supported.',
    error_uri: `${DOCS}/troubleshooting-oauth-app-access-token-request-errors`,
  },
  // GitHub Apps (github-app.ts): a refresh token that is unknown, used, expired or another app's.
  bad_refresh_token: {
    error_description: 'The refresh token passed is incorrect or expired.',
    error_uri:
      'https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens',
  },
} as const;
type TokenError = keyof typeof TOKEN_ERRORS;

// GitHub documents no PKCE-specific error; a bad verifier makes the code unusable.
const CODE_ERRORS = codeErrors<TokenError>('bad_verification_code', {
  missing_redirect_uri: 'redirect_uri_mismatch',
  redirect_mismatch: 'redirect_uri_mismatch',
});

const xmlEscape = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The token endpoint answers form-encoded unless the client asks for JSON or XML by `Accept` —
 * clients that forget the header get `access_token=…&scope=…&token_type=bearer`.
 */
function sendTokenBody(
  request: FastifyRequest,
  reply: FastifyReply,
  body: Record<string, string | number>,
) {
  const accept = request.headers.accept ?? '';
  reply.header('cache-control', 'no-store');
  if (/application\/json/i.test(accept)) return reply.status(200).send(body);
  if (/application\/xml/i.test(accept)) {
    const fields = Object.entries(body)
      .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
      .join('');
    return reply
      .status(200)
      .type('application/xml; charset=utf-8')
      .send(`<OAuth>${fields}</OAuth>`);
  }
  return reply
    .status(200)
    .type('application/x-www-form-urlencoded; charset=utf-8')
    .send(
      new URLSearchParams(
        Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString(),
    );
}

function apiError(reply: FastifyReply, status: number, message: string, documentationUrl: string) {
  return reply
    .status(status)
    .send({ message, documentation_url: documentationUrl, status: String(status) });
}

/**
 * GitHub (github.com/login/oauth/… and api.github.com/… under `/github`): OAuth Apps, whose
 * tokens (`gho_`) do not expire and have no refresh token, and GitHub Apps (github-app.ts), whose
 * user tokens expire after 8 h and refresh with rotating refresh tokens.
 */
export const github = definePersonality({
  id: 'github',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'emails', 'revoke', 'data'],
  authorizeExample: { params: { scope: 'read:user user:email' }, responseType: false },
  defaultAccount: defaultGitHubAccount,
  faultResponse: faultTable(
    {
      error_500: [500, { message: 'Server Error' }],
      rate_limit: [
        429,
        {
          message: 'API rate limit exceeded.',
          documentation_url:
            'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
          status: '429',
        },
      ],
      invalid_grant: [
        401,
        {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
      ],
    },
    {
      token: {
        invalid_grant: [
          200,
          { error: 'bad_verification_code', ...TOKEN_ERRORS.bad_verification_code },
        ],
      },
    },
  ),
  register(router, ctx) {
    // Documented: codes expire after 10 minutes.
    const codes = ctx.codeStore<CodeData<GitHubAccount>>({ ttlSeconds: 600 });
    const tokens = ctx.tokenStore<{ account: GitHubAccount; scope: string }>({
      accessTokenPrefix: 'gho_',
      accessTokenTtlSeconds: null,
      refreshTokens: false,
      rotateRefreshTokens: false,
    });
    const apps = createGitHubApps(ctx);
    registerDataRoutes(router, ctx, tokens);

    registerAuthorize(router, ctx, {
      brand,
      authorizePath: '/login/oauth/authorize',
      codes,
      // No redirect_uri → the app's registered callback URL.
      redirectUri: 'first-registered',
      unknownClient: {
        status: 404,
        title: 'Not Found',
        message: 'This application could not be found.',
      },
      badRedirectUri: {
        status: 400,
        title: 'Redirect URI mismatch',
        message: 'The redirect_uri is not associated with this application.',
      },
      // GitHub sends the user back to the registered callback with the error rather than
      // showing a page (documented under "troubleshooting authorization request errors").
      onBadRedirectUri: (client, params, reply) => {
        const registered = client.redirectUris[0];
        if (registered === undefined) return undefined;
        return reply.redirect(
          withParams(registered, {
            error: 'redirect_uri_mismatch',
            error_description: 'The redirect_uri is not associated with this application.',
            error_uri: `${DOCS}/troubleshooting-authorization-request-errors/#redirect-uri-mismatch`,
            state: params.state,
          }),
        );
      },
      // Only S256 (https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication).
      pkce: 'optional-s256',
      defaultScope: '',
      denyParams: {
        error_description: 'The user has denied your application access.',
        error_uri: `${DOCS}/troubleshooting-authorization-request-errors/#access-denied`,
      },
      consent: (account, scope) => ({
        account: `${account.login} · ${account.name}`,
        permissions: scope === '' ? ['Read-only access to public information'] : scopeList(scope),
      }),
    });

    router.post('/login/oauth/access_token', 'token', async (request, reply) => {
      // GitHub reads parameters from the query string as well as a form or JSON body.
      const params = { ...readParams(request.query), ...readParams(request.body) };
      // Body credentials are what GitHub documents; HTTP Basic works too (Auth.js sends it).
      const auth = authenticateRequest(ctx, request, params, ['body', 'basic']);
      if (!auth.ok) {
        return sendTokenBody(request, reply, {
          error: 'incorrect_client_credentials',
          ...TOKEN_ERRORS.incorrect_client_credentials,
        });
      }
      // A GitHub App's refresh; OAuth Apps have no refresh tokens.
      if (params.grant_type === 'refresh_token' && apps.isApp(auth.client.clientId)) {
        const refreshed =
          params.refresh_token === undefined
            ? undefined
            : apps.refresh(params.refresh_token, auth.client.clientId);
        // Like every token error here, with HTTP 200.
        if (refreshed === undefined) {
          return sendTokenBody(request, reply, {
            error: 'bad_refresh_token',
            ...TOKEN_ERRORS.bad_refresh_token,
          });
        }
        return sendTokenBody(request, reply, refreshed);
      }
      // GitHub does not require grant_type for the code exchange.
      if (params.grant_type !== undefined && params.grant_type !== 'authorization_code') {
        return sendTokenBody(request, reply, {
          error: 'unsupported_grant_type',
          ...TOKEN_ERRORS.unsupported_grant_type,
        });
      }
      const redeemed = redeemCode(codes, params, auth.client, { redirectUri: 'optional' });
      if (!redeemed.ok) {
        const error = CODE_ERRORS[redeemed.reason];
        return sendTokenBody(request, reply, { error, ...TOKEN_ERRORS[error] });
      }
      if (apps.isApp(auth.client.clientId)) {
        // GitHub Apps have permissions, not scopes: whatever was asked, none is granted.
        const answer = apps.issue(auth.client.clientId, {
          account: redeemed.data.account,
          scope: '',
        });
        return sendTokenBody(request, reply, answer);
      }
      // The granted scope comes back comma-separated.
      const scope = scopeList(redeemed.data.scope).join(',');
      const grant = tokens.issue(auth.client.clientId, { account: redeemed.data.account, scope });
      return sendTokenBody(request, reply, {
        access_token: grant.accessToken,
        scope,
        token_type: 'bearer',
      });
    });

    /** API auth: `Authorization: Bearer …` or `token …`, plus GitHub's User-Agent rule. */
    const apiGrant = (request: FastifyRequest, reply: FastifyReply, docs: string) => {
      if (request.headers['user-agent'] === undefined) {
        void reply
          .status(403)
          .type('text/plain; charset=utf-8')
          .send(
            'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n',
          );
        return undefined;
      }
      const token = /^(?:Bearer|token)\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (token === undefined) {
        void apiError(reply, 401, 'Requires authentication', docs);
        return undefined;
      }
      const grant = tokens.findByAccessToken(token) ?? apps.findByAccessToken(token);
      if (grant === undefined) {
        void apiError(reply, 401, 'Bad credentials', 'https://docs.github.com/rest');
        return undefined;
      }
      reply.header('x-oauth-scopes', scopeList(grant.data.scope).join(', '));
      return grant;
    };

    router.get('/user', 'identity', async (request, reply) => {
      const grant = apiGrant(
        request,
        reply,
        'https://docs.github.com/rest/users/users#get-the-authenticated-user',
      );
      if (grant === undefined) return reply;
      const a = grant.data.account;
      return {
        login: a.login,
        id: a.id,
        node_id: Buffer.from(`04:User${a.id}`).toString('base64'),
        avatar_url: a.avatarUrl,
        gravatar_id: '',
        url: `https://api.github.com/users/${a.login}`,
        html_url: `https://github.com/${a.login}`,
        type: 'User',
        site_admin: false,
        name: a.name,
        company: a.company,
        blog: '',
        location: a.location,
        email: a.publicEmail,
        hireable: null,
        bio: null,
        twitter_username: null,
        public_repos: 3,
        public_gists: 0,
        followers: 42,
        following: 7,
        created_at: '2015-12-10T09:00:00Z',
        updated_at: '2024-06-01T09:00:00Z',
      };
    });

    router.get('/user/emails', 'emails', async (request, reply) => {
      const docs =
        'https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user';
      const grant = apiGrant(request, reply, docs);
      if (grant === undefined) return reply;
      // A GitHub App needs the "Email addresses" permission, which the mock's apps lack.
      if (grant.accessToken.startsWith('ghu_')) {
        return apiError(reply, 403, 'Resource not accessible by integration', docs);
      }
      const scopes = scopeList(grant.data.scope);
      // Needs the user or user:email scope; GitHub answers 404 rather than 403 without it.
      if (!scopes.includes('user') && !scopes.includes('user:email')) {
        return apiError(reply, 404, 'Not Found', docs);
      }
      const a = grant.data.account;
      return [
        {
          email: a.email,
          primary: true,
          verified: true,
          visibility: a.publicEmail === a.email ? 'public' : 'private',
        },
        {
          email: `${a.id}+${a.login}@users.noreply.github.com`,
          primary: false,
          verified: true,
          visibility: null,
        },
      ];
    });

    // api.github.com: the app (Basic client_id:client_secret) deletes one of its tokens.
    router.route({
      method: 'DELETE',
      path: '/applications/:client_id/token',
      endpoint: 'revoke',
      handler: async (request, reply) => {
        const docs = 'https://docs.github.com/rest/apps/oauth-applications#delete-an-app-token';
        const { client_id: clientId } = request.params as { client_id: string };
        const credentials = parseBasicAuth(request.headers.authorization);
        const client = ctx.findClient(clientId);
        // Wrong app credentials look like a missing resource, as on GitHub.
        if (
          credentials === undefined ||
          client === undefined ||
          credentials.clientId !== clientId ||
          !safeEqual(client.clientSecret, credentials.clientSecret)
        ) {
          return apiError(reply, 404, 'Not Found', docs);
        }
        const token = readParams(request.body).access_token;
        if (token === undefined) {
          return reply.status(422).send({
            message: 'Invalid request.\n\n"access_token" wasn\'t supplied.',
            documentation_url: docs,
            status: '422',
          });
        }
        const grant = tokens.findByAccessToken(token) ?? apps.findByAccessToken(token);
        if (grant === undefined || grant.clientId !== clientId) {
          return apiError(reply, 404, 'Not Found', docs);
        }
        if (!tokens.revoke(token)) apps.revoke(token);
        return reply.status(204).send();
      },
    });
  },
});
